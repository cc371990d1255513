package org.mobilevpn.vnic;

import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.net.IpPrefix;

/**
 * The iproute2 command lines that configure a virtual NIC. Pure functions of their arguments,
 * so what the NIC does to the system is visible in unit tests.
 *
 * <p>Routes carry an explicit metric: for two routes to the same prefix the kernel prefers the
 * lower metric (ip-route(8)), so a low metric makes the tunnel win over an existing route.
 */
final class IpCommands {
    /** IPv4 and IPv6 halves of the address space: more specific than any default route, which stays. */
    static final List<IpPrefix> FULL_TUNNEL_V4 = List.of(IpPrefix.parse("0.0.0.0/1"), IpPrefix.parse("128.0.0.0/1"));
    static final List<IpPrefix> FULL_TUNNEL_V6 = List.of(IpPrefix.parse("::/1"), IpPrefix.parse("8000::/1"));

    private final String ip;

    IpCommands(String ipExecutable) {
        this.ip = ipExecutable;
    }

    List<String> linkUp(String dev, int mtu) {
        return List.of(ip, "link", "set", "dev", dev, "mtu", Integer.toString(mtu), "up");
    }

    /** IPv6 addresses skip duplicate address detection: the link is point-to-point and private. */
    List<String> addAddress(String dev, IpPrefix a) {
        List<String> c = new ArrayList<>(List.of(ip, family(a), "addr", "add", a.toString(), "dev", dev));
        if (a.isIpv6()) {
            c.add("nodad");
        }
        return c;
    }

    List<String> deleteAddress(String dev, IpPrefix a) {
        return List.of(ip, family(a), "addr", "del", a.toString(), "dev", dev);
    }

    List<String> addRoute(String dev, IpPrefix route, int metric) {
        return List.of(ip, family(route), "route", "add", route.toString(), "dev", dev, "metric", Integer.toString(metric));
    }

    List<String> deleteRoute(String dev, IpPrefix route, int metric) {
        return List.of(ip, family(route), "route", "del", route.toString(), "dev", dev, "metric", Integer.toString(metric));
    }

    List<String> routeGet(String address) {
        return List.of(ip, address.indexOf(':') >= 0 ? "-6" : "-4", "-o", "route", "get", address);
    }

    /** Adds a route spec such as {@code 198.51.100.1/32 via 10.0.0.1 dev eth0}. */
    List<String> addRouteSpec(List<String> spec, boolean ipv6) {
        List<String> c = new ArrayList<>(List.of(ip, ipv6 ? "-6" : "-4", "route", "add"));
        c.addAll(spec);
        return c;
    }

    /** Adds a route spec, or replaces the route to the same destination (and metric) that is there. */
    List<String> replaceRouteSpec(List<String> spec, boolean ipv6) {
        List<String> c = new ArrayList<>(List.of(ip, ipv6 ? "-6" : "-4", "route", "replace"));
        c.addAll(spec);
        return c;
    }

    List<String> deleteRouteSpec(List<String> spec, boolean ipv6) {
        List<String> c = new ArrayList<>(List.of(ip, ipv6 ? "-6" : "-4", "route", "del"));
        c.addAll(spec);
        return c;
    }

    List<String> listLinks() {
        return List.of(ip, "-o", "link", "show");
    }

    List<String> deleteLink(String dev) {
        return List.of(ip, "link", "del", "dev", dev);
    }

    /**
     * The routes a configuration puts on the device: the remote selectors, plus in full-tunnel
     * mode the two half-space routes of each address family the device has an address of.
     */
    static List<IpPrefix> tunnelRoutes(List<IpPrefix> routes, boolean fullTunnel, List<IpPrefix> addresses) {
        List<IpPrefix> all = new ArrayList<>(routes);
        if (fullTunnel) {
            if (addresses.stream().anyMatch(a -> !a.isIpv6())) {
                all.addAll(FULL_TUNNEL_V4);
            }
            if (addresses.stream().anyMatch(IpPrefix::isIpv6)) {
                all.addAll(FULL_TUNNEL_V6);
            }
        }
        return all;
    }

    /** Whether two prefixes share an address (CIDR prefixes either nest or are disjoint). */
    static boolean overlaps(IpPrefix a, IpPrefix b) {
        if (a.isIpv6() != b.isIpv6()) {
            return false;
        }
        byte[] x = a.address().getAddress();
        byte[] y = b.address().getAddress();
        int bits = Math.min(a.prefixLength(), b.prefixLength());
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((x[i / 8] & mask) != (y[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static String family(IpPrefix p) {
        return p.isIpv6() ? "-6" : "-4";
    }
}
