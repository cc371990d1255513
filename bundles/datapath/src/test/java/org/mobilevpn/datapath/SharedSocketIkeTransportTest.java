package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.IkeTransport;

/** Where the data path's IKE transport sends, depending on which of its sockets exist. */
class SharedSocketIkeTransportTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void withoutAPort500SocketTheGatewaysNatTraversalPortIsUsedFromTheStart() throws Exception {
        try (DataPathEngine engine = new DataPathEngine(new org.mobilevpn.esp.EspTransformFactoryComponent(), null, LOOPBACK, 0, 0);
                IkeTransport t = engine.openIkeTransport(new InetSocketAddress(LOOPBACK, 500))) {
            assertTrue(t.isOnNatTraversalPort());
            assertEquals(4500, t.remoteEndpoint().getPort(), "marker-prefixed IKE goes to the gateway's 4500");
        }
    }

    @Test
    void aGatewayNamedWithItsOwnPortKeepsIt() throws Exception {
        try (DataPathEngine engine = new DataPathEngine(new org.mobilevpn.esp.EspTransformFactoryComponent(), null, LOOPBACK, 0, 0);
                IkeTransport t = engine.openIkeTransport(new InetSocketAddress(LOOPBACK, 14500))) {
            assertEquals(14500, t.remoteEndpoint().getPort());
        }
    }
}
