package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which session gets a received IKE message: by the session's own IKE SPIs, first among those of its gateway address. */
class IkeDispatcherTest {
    static final InetSocketAddress GW = new InetSocketAddress("198.51.100.1", 4500);
    static final InetSocketAddress OTHER_GW = new InetSocketAddress("198.51.100.9", 4500);
    private static final int FLAG_INITIATOR = 0x08;

    /** A session that owns a changing set of SPIs and records what it was handed. */
    static final class Recorder implements IkeDispatcher.Session {
        final InetSocketAddress remote;
        final Set<Long> spis = new HashSet<>();
        final List<byte[]> got = new ArrayList<>();

        Recorder(InetSocketAddress remote, long... spis) {
            this.remote = remote;
            for (long s : spis) {
                this.spis.add(s);
            }
        }

        public InetSocketAddress remoteEndpoint() {
            return remote;
        }

        public boolean ownsIkeSpi(long localSpi) {
            return spis.contains(localSpi);
        }

        public void deliver(InetSocketAddress from, byte[] message, boolean natT) {
            got.add(message);
        }
    }

    /** An IKE header from the gateway: as responder of our IKE SA (flag I clear) or as initiator of its own. */
    private static byte[] ike(long spiI, long spiR, boolean gatewayIsInitiator) {
        return ByteBuffer.allocate(28).putLong(spiI).putLong(spiR).put((byte) 0x29).put((byte) 0x20).put((byte) 37)
                .put((byte) (0x20 | (gatewayIsInitiator ? FLAG_INITIATOR : 0))).array();
    }

    @Test
    void twoSessionsToOneGatewayAreToldApartBySpi() {
        IkeDispatcher d = new IkeDispatcher();
        Recorder a = new Recorder(new InetSocketAddress("198.51.100.1", 500), 0x1111L);
        Recorder b = new Recorder(GW, 0x2222L);
        d.add(a);
        d.add(b);
        assertTrue(d.dispatch(GW, ike(0x2222L, 0x99L, false), true));
        assertTrue(d.dispatch(GW, ike(0x1111L, 0x98L, false), true), "the port does not matter, the SPI does");
        assertEquals(1, a.got.size());
        assertEquals(1, b.got.size());
        assertFalse(d.dispatch(GW, ike(0x3333L, 0x97L, false), true), "no session has that SPI");
        assertFalse(d.dispatch(OTHER_GW, ike(0x4444L, 0x99L, false), true), "another gateway's SPI is not ours");
    }

    @Test
    void aGatewayThatMovedStillReachesTheSessionOwningTheSpi() {
        IkeDispatcher d = new IkeDispatcher();
        Recorder other = new Recorder(OTHER_GW, 0x5555L);
        Recorder session = new Recorder(GW, 0x2222L);
        d.add(other);
        d.add(session);
        assertTrue(d.dispatch(OTHER_GW, ike(0x2222L, 0x99L, false), true), "its engine decides whether it counts");
        assertEquals(1, session.got.size());
        assertTrue(other.got.isEmpty(), "the address alone does not route it");
    }

    @Test
    void anIkeSaTheGatewayRekeyedIsRoutedByOurResponderSpi() {
        IkeDispatcher d = new IkeDispatcher();
        Recorder session = new Recorder(GW, 0x1111L);
        Recorder other = new Recorder(GW, 0x5555L);
        d.add(other);
        d.add(session);
        // the gateway rekeyed: it is the initiator of the new IKE SA, 0xAAAA is its SPI and 0x2222 ours
        session.spis.add(0x2222L);
        assertTrue(d.dispatch(GW, ike(0xAAAAL, 0x2222L, true), true));
        assertEquals(1, session.got.size());
        assertFalse(d.dispatch(GW, ike(0x2222L, 0xAAAAL, true), true),
                "with flag I set the initiator SPI is the gateway's, whatever its value");
        session.spis.remove(0x1111L);
        assertFalse(d.dispatch(GW, ike(0x1111L, 0x77L, false), true), "a closed IKE SA's SPI no longer routes");
        assertTrue(other.got.isEmpty());
    }

    @Test
    void anIkeSaWeRekeyedIsRoutedByOurNewInitiatorSpi() {
        IkeDispatcher d = new IkeDispatcher();
        Recorder session = new Recorder(GW, 0x1111L, 0x3333L);
        d.add(session);
        assertTrue(d.dispatch(GW, ike(0x3333L, 0xBBBBL, false), true));
        assertTrue(d.dispatch(GW, ike(0x1111L, 0xCCCCL, false), true), "the old IKE SA until it is deleted");
        assertEquals(2, session.got.size());
    }

    @Test
    void shorterThanAnIkeHeaderIsRefused() {
        IkeDispatcher d = new IkeDispatcher();
        d.add(new Recorder(GW, 0L));
        assertFalse(d.dispatch(GW, new byte[27], true));
    }
}
