package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which session gets a received IKE message: by gateway address and IKE SA initiator SPI. */
class IkeDispatcherTest {
    static final InetSocketAddress GW = new InetSocketAddress("198.51.100.1", 4500);
    static final InetSocketAddress OTHER_GW = new InetSocketAddress("198.51.100.9", 4500);

    /** A session that records what it was handed. */
    static final class Recorder implements IkeDispatcher.Session {
        final InetSocketAddress remote;
        final long spi;
        final List<byte[]> got = new ArrayList<>();

        Recorder(InetSocketAddress remote, long spi) {
            this.remote = remote;
            this.spi = spi;
        }

        public InetSocketAddress remoteEndpoint() {
            return remote;
        }

        public long initiatorSpi() {
            return spi;
        }

        public void deliver(InetSocketAddress from, byte[] message, boolean natT) {
            got.add(message);
        }
    }

    private static byte[] ike(long initiatorSpi) {
        return ByteBuffer.allocate(28).putLong(initiatorSpi).array();
    }

    @Test
    void initiatorSpiIsTheFirstEightBytesBigEndian() {
        byte[] m = new byte[28];
        for (int i = 0; i < 8; i++) {
            m[i] = (byte) (0xf1 + i);
        }
        assertEquals(0xf1f2f3f4f5f6f7f8L, IkeDispatcher.initiatorSpi(m));
    }

    @Test
    void twoSessionsToOneGatewayAreToldApartBySpi() {
        IkeDispatcher d = new IkeDispatcher();
        Recorder a = new Recorder(new InetSocketAddress("198.51.100.1", 500), 0x1111L);
        Recorder b = new Recorder(GW, 0x2222L);
        d.add(a);
        d.add(b);
        assertTrue(d.dispatch(GW, ike(0x2222L), true));
        assertTrue(d.dispatch(GW, ike(0x1111L), true), "the port does not matter, the SPI does");
        assertEquals(1, a.got.size());
        assertEquals(1, b.got.size());
        assertFalse(d.dispatch(GW, ike(0x3333L), true), "no session has that SPI and none is unnamed");
    }

    @Test
    void aSessionThatHasNotSentYetTakesItsGatewaysMessages() {
        IkeDispatcher d = new IkeDispatcher();
        Recorder fresh = new Recorder(GW, 0);
        d.add(fresh);
        assertTrue(d.dispatch(GW, ike(0x42L), false));
        assertFalse(d.dispatch(OTHER_GW, ike(0x42L), false), "another gateway's message is not ours");
        d.add(new Recorder(GW, 0));
        assertFalse(d.dispatch(GW, ike(0x43L), false), "two unnamed sessions: ambiguous, dropped");
        d.remove(fresh);
        assertEquals(1, fresh.got.size());
    }

    @Test
    void shorterThanAnIkeHeaderIsRefused() {
        IkeDispatcher d = new IkeDispatcher();
        d.add(new Recorder(GW, 0));
        assertFalse(d.dispatch(GW, new byte[27], true));
    }
}
