package org.mobilevpn.api.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's networks at one moment, as an immutable value: its links, their addresses and the unicast routes of
 * the main table. The watcher that publishes it leaves out mobilevpn's own virtual NICs with their addresses and
 * routes: they are carried by an uplink, never one themselves.
 */
public final class NetworkState {
    /** No links, addresses or routes. */
    public static final NetworkState EMPTY = new NetworkState(List.of(), List.of(), List.of());

    private final List<NetworkLink> links;
    private final List<LinkAddress> addresses;
    private final List<NetworkRoute> routes;

    public NetworkState(List<NetworkLink> links, List<LinkAddress> addresses, List<NetworkRoute> routes) {
        this.links = List.copyOf(links);
        this.addresses = List.copyOf(addresses);
        this.routes = List.copyOf(routes);
    }

    public List<NetworkLink> links() {
        return links;
    }

    public List<LinkAddress> addresses() {
        return addresses;
    }

    public List<NetworkRoute> routes() {
        return routes;
    }

    /** The link with this index. */
    public Optional<NetworkLink> link(int index) {
        return links.stream().filter(l -> l.index() == index).findFirst();
    }

    /** The link with this name. */
    public Optional<NetworkLink> link(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The addresses on the link with this index, in the kernel's order. */
    public List<LinkAddress> addressesOn(int linkIndex) {
        List<LinkAddress> on = new ArrayList<>();
        for (LinkAddress a : addresses) {
            if (a.linkIndex() == linkIndex) {
                on.add(a);
            }
        }
        return on;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkState && ((NetworkState) o).links.equals(links)
                && ((NetworkState) o).addresses.equals(addresses) && ((NetworkState) o).routes.equals(routes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(links, addresses, routes);
    }

    @Override
    public String toString() {
        return "NetworkState[links=" + links + ", addresses=" + addresses + ", routes=" + routes + "]";
    }
}
