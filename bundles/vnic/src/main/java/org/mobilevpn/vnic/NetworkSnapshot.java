package org.mobilevpn.vnic;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.net.LinkAddress;
import org.mobilevpn.api.net.NetworkLink;
import org.mobilevpn.api.net.NetworkRoute;
import org.mobilevpn.api.net.NetworkState;

/**
 * Turns the kernel's dump answers into a {@link NetworkState}: unicast routes of the main table only, and nothing
 * of the links {@code ours} names (our own virtual NICs, with their addresses and routes: a tunnel is carried by an
 * uplink, it is never one). Sorted, so that two snapshots of an unchanged host are equal.
 */
final class NetworkSnapshot {
    private static final Comparator<InetAddress> BY_OCTETS = (a, b) -> {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        return java.util.Arrays.compareUnsigned(x, y);
    };
    private static final Comparator<InetAddress> NULLABLE = Comparator.nullsFirst(BY_OCTETS);

    private NetworkSnapshot() {
    }

    /**
     * @param messages the decoded answers of a link, an address and a route dump
     * @param ours     names of links that are ours and left out
     */
    static NetworkState of(List<Object> messages, Predicate<String> ours) {
        List<NetworkLink> links = new ArrayList<>();
        Set<Integer> excluded = new HashSet<>();
        for (Object m : messages) {
            if (m instanceof Rtnetlink.Link l && l.header().type() == Rtnetlink.RTM_NEWLINK) {
                if (ours.test(l.name())) {
                    excluded.add(l.index());
                } else {
                    links.add(new NetworkLink(l.index(), l.name(), (l.flags() & Rtnetlink.IFF_UP) != 0,
                            (l.flags() & Rtnetlink.IFF_LOWER_UP) != 0, (l.flags() & Rtnetlink.IFF_LOOPBACK) != 0));
                }
            }
        }
        List<LinkAddress> addresses = new ArrayList<>();
        List<NetworkRoute> routes = new ArrayList<>();
        for (Object m : messages) {
            if (m instanceof Rtnetlink.Address a && a.header().type() == Rtnetlink.RTM_NEWADDR && a.address() != null
                    && !excluded.contains(a.index())) {
                int unusable = Rtnetlink.IFA_F_TENTATIVE | Rtnetlink.IFA_F_DADFAILED | Rtnetlink.IFA_F_DEPRECATED;
                addresses.add(new LinkAddress(a.index(), IpPrefix.of(a.address(), a.prefixLength()),
                        a.scope() == Rtnetlink.RT_SCOPE_UNIVERSE, (a.flags() & unusable) == 0));
            } else if (m instanceof Rtnetlink.Route r && r.header().type() == Rtnetlink.RTM_NEWROUTE
                    && r.table() == Rtnetlink.RT_TABLE_MAIN && r.type() == Rtnetlink.RTN_UNICAST && r.linkIndex() != 0
                    && !excluded.contains(r.linkIndex())) {
                IpPrefix destination = IpPrefix.of(IpPrefix.of(r.destination(), r.destinationLength()).first(),
                        r.destinationLength());
                routes.add(new NetworkRoute(destination, r.gateway(), r.linkIndex(), r.metric(), r.preferredSource()));
            }
        }
        links.sort(Comparator.comparingInt(NetworkLink::index));
        addresses.sort(Comparator.comparingInt(LinkAddress::linkIndex)
                .thenComparing(a -> a.address().address(), BY_OCTETS)
                .thenComparingInt(a -> a.address().prefixLength()));
        routes.sort(Comparator.comparing((NetworkRoute r) -> r.destination().address(), BY_OCTETS)
                .thenComparingInt(r -> r.destination().prefixLength()).thenComparingInt(NetworkRoute::metric)
                .thenComparingInt(NetworkRoute::linkIndex).thenComparing(NetworkRoute::gateway, NULLABLE));
        return new NetworkState(links, addresses, routes);
    }
}
