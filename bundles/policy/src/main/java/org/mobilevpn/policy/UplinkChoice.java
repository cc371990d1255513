package org.mobilevpn.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.net.LinkAddress;
import org.mobilevpn.api.net.NetworkLink;
import org.mobilevpn.api.net.NetworkRoute;
import org.mobilevpn.api.net.NetworkState;

/**
 * Which network a connection uses to reach its gateway (the Connection Manager's part of the seed): the route the
 * kernel would use now, unless the profile's {@code uplinks} names preferred interfaces; then the first of them that
 * has a route to the gateway. A route counts only when its link is up with carrier and it has a source address on
 * that link (the kernel would otherwise send from another interface's address, which the gateway cannot answer).
 * The gateway's addresses are tried in order: the one the profile names first, then those it announced (MOBIKE
 * ADDITIONAL_*_ADDRESS, RFC 4555 §3.4), so an IPv4 gateway is reached over an IPv6-only uplink at its IPv6 address
 * and back at its IPv4 address once IPv4 is there again. Routing rules (policy routing) are not considered.
 */
final class UplinkChoice {
    private static final Comparator<NetworkRoute> KERNEL_ORDER = Comparator
            .comparingInt((NetworkRoute r) -> -r.destination().prefixLength()).thenComparingInt(NetworkRoute::metric);

    private UplinkChoice() {
    }

    /**
     * @param state      the host's networks now
     * @param gateway    the gateway's addresses, most wanted first
     * @param preference the profile's {@code uplinks}, most preferred first (empty: the kernel's choice)
     * @param ours       our own tunnel devices (never an uplink, even if the state had them)
     * @return the path, or empty when no uplink reaches any of the gateway's addresses
     */
    static Optional<NetworkPath> choose(NetworkState state, List<InetAddress> gateway, List<String> preference,
            Set<String> ours) {
        return choose(state, gateway, preference, ours, Set.of());
    }

    /**
     * As above, not counting {@code held}: the host routes a full tunnel keeps to the gateway itself
     * ({@link TunnelPlumbing#routeGateway}). They follow the choice; counted, they would pin it to the uplink they
     * name (the most specific route), and a wired link that came back would never be chosen again.
     */
    static Optional<NetworkPath> choose(NetworkState state, List<InetAddress> gateway, List<String> preference,
            Set<String> ours, Set<IpPrefix> held) {
        for (InetAddress remote : gateway) {
            List<NetworkPath> paths = pathsTo(state, remote, ours, held);
            if (paths.isEmpty()) {
                continue;
            }
            NetworkPath kernel = paths.get(0);
            for (String wanted : preference) {
                for (NetworkPath p : paths) {
                    if (p.uplink().equals(wanted)) {
                        return Optional.of(p.uplink().equals(kernel.uplink()) ? kernel
                                : new NetworkPath(p.uplink(), p.local(), p.remote(), p.nextHop(), true));
                    }
                }
            }
            return Optional.of(kernel);
        }
        return Optional.empty();
    }

    /**
     * The path a connection's first handshake must take where the kernel's route would not: the one the profile's
     * {@code uplinks} prefer to {@code gateway}, when it leads out of another uplink than the kernel's route; else
     * empty (no preference, the kernel's route is the preferred one, nothing reaches the gateway). The IKE SA keeps the
     * addresses its IKE_SA_INIT used (the gateway answers to where the request came from, RFC 7296 §2.23, and its NAT
     * detection describes that path), so a handshake over the kernel's route would be followed by a MOBIKE update
     * (RFC 4555 §3.5) or a new IKE SA right after connecting. Host routes to the gateway do not count, as in {@link #choose}
     * with {@code held}: one an earlier attempt left would pin the choice.
     */
    static Optional<NetworkPath> preferredAgainstKernel(NetworkState state, InetAddress gateway, List<String> preference) {
        if (state == null || preference.isEmpty()) {
            return Optional.empty();
        }
        return choose(state, List.of(gateway), preference, Set.of(), Set.of(IpPrefix.host(gateway)))
                .filter(NetworkPath::preferred);
    }

    /**
     * Whether {@code local} still reaches {@code remote}: some usable uplink has a route to it with {@code local} as
     * its source. Not counting {@code held}, as in {@link #choose}.
     */
    static boolean reaches(NetworkState state, InetAddress local, InetAddress remote, Set<String> ours,
            Set<IpPrefix> held) {
        return pathsTo(state, remote, ours, held).stream().anyMatch(p -> p.local().equals(local));
    }

    /** The usable routes to {@code remote}, the kernel's choice first, at most one per link (its best). */
    private static List<NetworkPath> pathsTo(NetworkState state, InetAddress remote, Set<String> ours,
            Set<IpPrefix> held) {
        List<NetworkRoute> routes = new ArrayList<>();
        for (NetworkRoute r : state.routes()) {
            if (r.destination().contains(remote) && !held.contains(r.destination())) {
                routes.add(r);
            }
        }
        routes.sort(KERNEL_ORDER);
        List<NetworkPath> paths = new ArrayList<>();
        for (NetworkRoute r : routes) {
            Optional<NetworkLink> link = state.link(r.linkIndex());
            if (link.isEmpty() || !link.get().usable() || ours.contains(link.get().name())
                    || paths.stream().anyMatch(p -> p.uplink().equals(link.get().name()))) {
                continue;
            }
            InetAddress local = source(state, r, remote);
            if (local != null) {
                paths.add(new NetworkPath(link.get().name(), local, remote, r.gateway(), false));
            }
        }
        return paths;
    }

    /** The route's own source if it is on the link, else the link's first usable global address of the family. */
    private static InetAddress source(NetworkState state, NetworkRoute r, InetAddress remote) {
        List<LinkAddress> on = state.addressesOn(r.linkIndex());
        for (LinkAddress a : on) {
            if (a.usable() && a.address().address().equals(r.preferredSource())) {
                return a.address().address();
            }
        }
        for (LinkAddress a : on) {
            if (a.usable() && a.global() && a.address().address().getClass() == remote.getClass()) {
                return a.address().address();
            }
        }
        return null;
    }
}
