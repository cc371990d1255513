package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IkeDispatcherTest {

    @Test
    void initiatorSpiIsTheFirstEightBytesBigEndian() {
        byte[] m = new byte[28];
        for (int i = 0; i < 8; i++) {
            m[i] = (byte) (0xf1 + i);
        }
        assertEquals(0xf1f2f3f4f5f6f7f8L, IkeDispatcher.initiatorSpi(m));
    }
}
