package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayRouteTest {

    @Test
    void routedGatewayKeepsTheNextHop() {
        assertEquals(List.of("198.51.100.1/32", "via", "198.19.0.1", "dev", "eth0"),
                GatewayRoute.fromRouteGet("198.51.100.1",
                        "198.51.100.1 via 198.19.0.1 dev eth0 src 198.19.0.2 uid 0 \\    cache "));
    }

    @Test
    void onLinkGatewayHasNoNextHop() {
        assertEquals(List.of("198.51.100.1/32", "dev", "veth-c"),
                GatewayRoute.fromRouteGet("198.51.100.1", "198.51.100.1 dev veth-c src 198.51.100.2 uid 0 \\    cache"));
    }

    /** {@code default via GW dev wan0 onlink}: 'via GW' to GW itself cannot be added; the gateway is on the link. */
    @Test
    void aGatewayThatIsItsOwnNextHopIsReachedOnTheLink() {
        assertEquals(List.of("198.51.100.1/32", "dev", "wan0"), GatewayRoute.fromRouteGet("198.51.100.1",
                "198.51.100.1 via 198.51.100.1 dev wan0 src 198.51.100.2 uid 0 \\    cache "));
    }

    @Test
    void ipv6GatewayGetsAHostPrefix() {
        assertEquals(List.of("2001:db8::1/128", "via", "fe80::1", "dev", "eth0"),
                GatewayRoute.fromRouteGet("2001:db8::1",
                        "2001:db8::1 from :: via fe80::1 dev eth0 proto kernel src 2001:db8::2 metric 1024 pref medium"));
    }

    @Test
    void outputWithoutDeviceIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> GatewayRoute.fromRouteGet("198.51.100.1", ""));
    }
}
