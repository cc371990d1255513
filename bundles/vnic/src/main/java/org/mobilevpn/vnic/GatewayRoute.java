package org.mobilevpn.vnic;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The host route that keeps the gateway reachable through the underlay while a full tunnel
 * captures everything else: built from {@code ip -o route get GW}, e.g.
 * {@code 198.51.100.1 via 10.0.0.1 dev eth0 src 10.0.0.2 uid 0 \ cache} becomes
 * {@code 198.51.100.1/32 via 10.0.0.1 dev eth0}; or, for a connection's chosen uplink, from that uplink and its router
 * ({@link #onUplink}).
 */
final class GatewayRoute {
    private GatewayRoute() {
    }

    /** The route spec (arguments after {@code ip route add}), or an exception when the output has no device. */
    static List<String> fromRouteGet(String gateway, String output) {
        String[] t = output.trim().split("\\s+");
        String via = null;
        String dev = null;
        for (int i = 0; i + 1 < t.length; i++) {
            if (t[i].equals("via")) {
                via = t[i + 1];
            } else if (t[i].equals("dev")) {
                dev = t[i + 1];
            }
        }
        if (dev == null) {
            throw new IllegalArgumentException("no route to gateway " + gateway + ": " + output);
        }
        List<String> spec = new ArrayList<>();
        spec.add(gateway + (gateway.indexOf(':') >= 0 ? "/128" : "/32"));
        if (via != null && !via.equals(gateway)) { // 'via GW' to GW itself (an onlink default route): on the link
            spec.add("via");
            spec.add(via);
        }
        spec.add("dev");
        spec.add(dev);
        return spec;
    }

    /**
     * The route spec that sends what goes to {@code gateway} out of {@code uplink}: through {@code nextHop}, or on the
     * link when it is {@code null} or the gateway itself (a route via the gateway reaches it on the link).
     */
    static List<String> onUplink(InetAddress gateway, String uplink, InetAddress nextHop) {
        String addr = gateway.getHostAddress();
        List<String> spec = new ArrayList<>(List.of(addr + (addr.indexOf(':') >= 0 ? "/128" : "/32")));
        if (nextHop != null && !nextHop.equals(gateway)) {
            spec.addAll(List.of("via", nextHop.getHostAddress()));
        }
        spec.addAll(List.of("dev", uplink));
        return spec;
    }
}
