package org.mobilevpn.api.vnic;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mobilevpn.api.net.IpPrefix;

/**
 * Everything a virtual NIC carries, as one immutable value: device name, addresses, MTU,
 * routes, full-tunnel mode and DNS. Built with {@link #builder()}.
 */
public final class VnicConfig {
    /** Default route metric: low, so the VPN's routes win over ordinary ones for the same prefix. */
    public static final int DEFAULT_ROUTE_METRIC = 5;

    private final String name;
    private final List<IpPrefix> addresses;
    private final int mtu;
    private final List<IpPrefix> routes;
    private final boolean fullTunnel;
    private final List<InetAddress> gateways;
    private final List<IpPrefix> excludedRoutes;
    private final int routeMetric;
    private final DnsStrategy dnsStrategy;
    private final List<InetAddress> dnsServers;
    private final List<String> searchDomains;
    private final boolean offload;

    private VnicConfig(Builder b) {
        this.name = b.name;
        this.addresses = List.copyOf(b.addresses);
        this.mtu = b.mtu;
        this.routes = List.copyOf(b.routes);
        this.fullTunnel = b.fullTunnel;
        this.gateways = List.copyOf(b.gateways);
        this.excludedRoutes = List.copyOf(b.excludedRoutes);
        this.routeMetric = b.routeMetric;
        this.dnsStrategy = b.dnsStrategy;
        this.dnsServers = List.copyOf(b.dnsServers);
        this.searchDomains = List.copyOf(b.searchDomains);
        this.offload = b.offload;
        if (name != null && (name.isEmpty() || name.length() > 15 || !name.matches("[A-Za-z0-9_.-]+"))) {
            throw new IllegalArgumentException("device name must be 1-15 characters [A-Za-z0-9_.-]: " + name);
        }
        if (mtu < 576 || mtu > 65535) {
            throw new IllegalArgumentException("mtu out of 576..65535: " + mtu);
        }
        if (routeMetric < 0) {
            throw new IllegalArgumentException("negative route metric");
        }
        if (fullTunnel && gateways.isEmpty()) {
            throw new IllegalArgumentException("full tunnel needs the gateway address, to keep a route to it");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.addresses.addAll(addresses);
        b.mtu = mtu;
        b.routes.addAll(routes);
        b.fullTunnel = fullTunnel;
        b.gateways.addAll(gateways);
        b.excludedRoutes.addAll(excludedRoutes);
        b.routeMetric = routeMetric;
        b.dnsStrategy = dnsStrategy;
        b.dnsServers.addAll(dnsServers);
        b.searchDomains.addAll(searchDomains);
        b.offload = offload;
        return b;
    }

    /** The exact device name wanted, or {@code null} to let the factory pick one with its prefix. */
    public String name() {
        return name;
    }

    /** Addresses on the device (the virtual IPs); the prefix length decides the on-link range. */
    public List<IpPrefix> addresses() {
        return addresses;
    }

    public int mtu() {
        return mtu;
    }

    /** Remote traffic selectors routed into the device (split tunnel). */
    public List<IpPrefix> routes() {
        return routes;
    }

    /**
     * Route everything through the device (as two half-space routes per address family, so the
     * existing default route stays) while host routes keep the {@link #gateways()} reachable
     * outside the tunnel.
     */
    public boolean fullTunnel() {
        return fullTunnel;
    }

    /** The gateway's outer addresses: in full-tunnel mode they keep a host route via the underlay. */
    public List<InetAddress> gateways() {
        return gateways;
    }

    /**
     * Destinations that must leave outside the tunnel ({@code split_exclude}): where one lies inside the
     * tunnel's routes (always in full-tunnel mode), the NIC routes it the way it went before the tunnel, or
     * the way the gateway's address goes.
     */
    public List<IpPrefix> excludedRoutes() {
        return excludedRoutes;
    }

    public int routeMetric() {
        return routeMetric;
    }

    public DnsStrategy dnsStrategy() {
        return dnsStrategy;
    }

    public List<InetAddress> dnsServers() {
        return dnsServers;
    }

    public List<String> searchDomains() {
        return searchDomains;
    }

    /**
     * Let the kernel hand TCP super-packets (TSO) and partial checksums to the device, which the
     * NIC cuts into MTU-sized packets itself: far fewer reads per byte. Reads still return one
     * packet each; {@link VirtualNic#pending()} tells how many more are ready without a syscall.
     */
    public boolean offload() {
        return offload;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VnicConfig)) {
            return false;
        }
        VnicConfig c = (VnicConfig) o;
        return Objects.equals(name, c.name) && addresses.equals(c.addresses) && mtu == c.mtu && routes.equals(c.routes)
                && fullTunnel == c.fullTunnel && gateways.equals(c.gateways) && excludedRoutes.equals(c.excludedRoutes)
                && routeMetric == c.routeMetric
                && dnsStrategy == c.dnsStrategy && dnsServers.equals(c.dnsServers) && searchDomains.equals(c.searchDomains)
                && offload == c.offload;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, addresses, mtu, routes, fullTunnel, gateways, excludedRoutes, routeMetric, dnsStrategy,
                dnsServers, searchDomains, offload);
    }

    @Override
    public String toString() {
        return "VnicConfig[name=" + name + ", addresses=" + addresses + ", mtu=" + mtu + ", routes=" + routes
                + ", fullTunnel=" + fullTunnel + ", gateways=" + gateways
                + (excludedRoutes.isEmpty() ? "" : ", excluded=" + excludedRoutes) + ", metric=" + routeMetric + ", dns="
                + dnsStrategy + " " + dnsServers + " " + searchDomains + (offload ? ", offload" : "") + "]";
    }

    /** Collects the values of a {@link VnicConfig}; not thread-safe. */
    public static final class Builder {
        private String name;
        private final List<IpPrefix> addresses = new ArrayList<>();
        private int mtu = 1400;
        private final List<IpPrefix> routes = new ArrayList<>();
        private boolean fullTunnel;
        private final List<InetAddress> gateways = new ArrayList<>();
        private final List<IpPrefix> excludedRoutes = new ArrayList<>();
        private int routeMetric = DEFAULT_ROUTE_METRIC;
        private DnsStrategy dnsStrategy = DnsStrategy.NONE;
        private final List<InetAddress> dnsServers = new ArrayList<>();
        private final List<String> searchDomains = new ArrayList<>();
        private boolean offload;

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder address(IpPrefix address) {
            addresses.add(Objects.requireNonNull(address));
            return this;
        }

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        public Builder route(IpPrefix route) {
            routes.add(Objects.requireNonNull(route));
            return this;
        }

        public Builder fullTunnel(boolean fullTunnel) {
            this.fullTunnel = fullTunnel;
            return this;
        }

        public Builder gateway(InetAddress gateway) {
            gateways.add(Objects.requireNonNull(gateway));
            return this;
        }

        public Builder excludedRoute(IpPrefix destination) {
            excludedRoutes.add(Objects.requireNonNull(destination));
            return this;
        }

        public Builder routeMetric(int metric) {
            this.routeMetric = metric;
            return this;
        }

        public Builder dnsStrategy(DnsStrategy strategy) {
            this.dnsStrategy = Objects.requireNonNull(strategy);
            return this;
        }

        public Builder dnsServer(InetAddress server) {
            dnsServers.add(Objects.requireNonNull(server));
            return this;
        }

        public Builder searchDomain(String domain) {
            if (!domain.matches("[A-Za-z0-9.-]+")) {
                throw new IllegalArgumentException("bad search domain: " + domain);
            }
            searchDomains.add(domain);
            return this;
        }

        public Builder offload(boolean offload) {
            this.offload = offload;
            return this;
        }

        public VnicConfig build() {
            return new VnicConfig(this);
        }
    }
}
