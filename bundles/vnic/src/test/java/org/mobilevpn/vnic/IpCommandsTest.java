package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.net.IpPrefix;

class IpCommandsTest {
    private final IpCommands ip = new IpCommands("ip");

    @Test
    void linkUpSetsMtu() {
        assertEquals(List.of("ip", "link", "set", "dev", "mvpn0", "mtu", "1400", "up"), ip.linkUp("mvpn0", 1400));
    }

    @Test
    void ipv4AndIpv6Addresses() {
        assertEquals(List.of("ip", "-4", "addr", "add", "198.18.0.5/32", "dev", "mvpn0"),
                ip.addAddress("mvpn0", IpPrefix.parse("198.18.0.5/32")));
        assertEquals(List.of("ip", "-6", "addr", "add", "2001:db8:0:0:0:0:0:5/64", "dev", "mvpn0", "nodad"),
                ip.addAddress("mvpn0", IpPrefix.parse("2001:db8::5/64")));
    }

    @Test
    void routesCarryTheMetric() {
        assertEquals(List.of("ip", "-4", "route", "add", "203.0.113.0/24", "dev", "mvpn1", "metric", "5"),
                ip.addRoute("mvpn1", IpPrefix.parse("203.0.113.0/24"), 5));
        assertEquals(List.of("ip", "-6", "route", "del", "2001:db8:1:0:0:0:0:0/48", "dev", "mvpn1", "metric", "7"),
                ip.deleteRoute("mvpn1", IpPrefix.parse("2001:db8:1::/48"), 7));
    }

    @Test
    void splitTunnelRoutesAreTheSelectorsOnly() {
        List<IpPrefix> routes = List.of(IpPrefix.parse("203.0.113.0/24"));
        assertEquals(routes, IpCommands.tunnelRoutes(routes, false, List.of(IpPrefix.parse("198.18.0.5/32"))));
    }

    @Test
    void fullTunnelAddsHalfSpacesPerAddressFamily() {
        assertEquals(List.of(IpPrefix.parse("0.0.0.0/1"), IpPrefix.parse("128.0.0.0/1")),
                IpCommands.tunnelRoutes(List.of(), true, List.of(IpPrefix.parse("198.18.0.5/32"))));
        assertEquals(List.of(IpPrefix.parse("0.0.0.0/1"), IpPrefix.parse("128.0.0.0/1"), IpPrefix.parse("::/1"),
                IpPrefix.parse("8000::/1")),
                IpCommands.tunnelRoutes(List.of(), true,
                        List.of(IpPrefix.parse("198.18.0.5/32"), IpPrefix.parse("2001:db8::5/128"))));
    }

    @Test
    void gatewayHostRouteCommands() {
        List<String> spec = List.of("198.51.100.1/32", "via", "198.51.100.254", "dev", "veth0");
        assertEquals(List.of("ip", "-4", "route", "add", "198.51.100.1/32", "via", "198.51.100.254", "dev", "veth0"),
                ip.addRouteSpec(spec, false));
        assertEquals(List.of("ip", "-4", "route", "del", "198.51.100.1/32", "via", "198.51.100.254", "dev", "veth0"),
                ip.deleteRouteSpec(spec, false));
        assertEquals(List.of("ip", "-6", "-o", "route", "get", "2001:db8::1"), ip.routeGet("2001:db8::1"));
    }
}
