package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NatKeepaliveTest {

    @Test
    void sentOnlyWhenAWholeIntervalWasIdle() {
        NatKeepalive k = new NatKeepalive();
        assertFalse(k.due(0), "first tick: no interval observed yet");
        assertTrue(k.due(0), "an idle interval");
        k.keepaliveSent(0);
        assertTrue(k.due(0), "still idle: the keepalive itself is not traffic");
        assertFalse(k.due(5), "ESP went out: the NAT mapping is fresh");
        assertTrue(k.due(5));
    }
}
