package org.mobilevpn.api.net;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A unicast route of the kernel's main routing table (rtnetlink {@code RTM_NEWROUTE}); a route with several
 * next hops is one record per next hop.
 *
 * @param destination     what the route leads to, {@code 0.0.0.0/0} or {@code ::/0} for a default route
 * @param gateway         the next hop, or {@code null} for a directly connected destination
 * @param linkIndex       the interface it leaves through ({@link NetworkLink#index()})
 * @param metric          its priority: of two routes to the same prefix the kernel takes the lower metric
 * @param preferredSource the source address the route names ({@code src}), or {@code null}
 */
public record NetworkRoute(IpPrefix destination, InetAddress gateway, int linkIndex, int metric,
        InetAddress preferredSource) {

    public NetworkRoute {
        Objects.requireNonNull(destination, "destination");
    }
}
