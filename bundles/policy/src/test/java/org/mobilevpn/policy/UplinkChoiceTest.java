package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.net.IpAddresses;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.net.LinkAddress;
import org.mobilevpn.api.net.NetworkLink;
import org.mobilevpn.api.net.NetworkRoute;
import org.mobilevpn.api.net.NetworkState;

class UplinkChoiceTest {
    private static final InetAddress GW = IpAddresses.parse("198.51.100.1");
    private static final InetAddress GW6 = IpAddresses.parse("2001:db8:100::1");

    /** A host with a wired uplink (metric 100) and a cellular one behind a CGNAT (metric 200), both up. */
    private final List<NetworkLink> links = new ArrayList<>(List.of(new NetworkLink(1, "lo", true, true, true),
            new NetworkLink(2, "wired", true, true, false), new NetworkLink(3, "cell", true, true, false)));
    private final List<LinkAddress> addresses = new ArrayList<>(List.of(
            new LinkAddress(2, IpPrefix.parse("198.51.100.66/26"), true, true),
            new LinkAddress(3, IpPrefix.parse("100.64.0.2/24"), true, true)));
    private final List<NetworkRoute> routes = new ArrayList<>(List.of(
            route("0.0.0.0/0", "198.51.100.65", 2, 100), route("198.51.100.64/26", null, 2, 0),
            route("0.0.0.0/0", "100.64.0.1", 3, 200), route("100.64.0.0/24", null, 3, 0)));

    private static NetworkRoute route(String dst, String via, int link, int metric) {
        return new NetworkRoute(IpPrefix.parse(dst), via == null ? null : IpAddresses.parse(via), link, metric, null);
    }

    private Optional<NetworkPath> choose(List<String> preference) {
        return UplinkChoice.choose(new NetworkState(links, addresses, routes), List.of(GW, GW6), preference, Set.of("mvpn0"));
    }

    @Test
    void theKernelsRouteWinsWithoutAPreference() {
        NetworkPath p = choose(List.of()).orElseThrow();
        assertEquals("wired", p.uplink());
        assertEquals(IpAddresses.parse("198.51.100.66"), p.local());
        assertEquals(GW, p.remote());
        assertEquals(IpAddresses.parse("198.51.100.65"), p.nextHop());
        assertFalse(p.preferred());
    }

    @Test
    void aLinkWithoutCarrierOrWithoutAnAddressIsNoUplink() {
        links.set(1, new NetworkLink(2, "wired", true, false, false));
        assertEquals("cell", choose(List.of()).orElseThrow().uplink(), "no carrier");
        links.set(1, new NetworkLink(2, "wired", true, true, false));
        addresses.remove(0);
        NetworkPath p = choose(List.of()).orElseThrow();
        assertEquals("cell", p.uplink(), "the kernel would send from the cellular address out of the wired link");
        assertEquals(IpAddresses.parse("100.64.0.2"), p.local());
    }

    @Test
    void aMoreSpecificRouteBeatsALowerMetric() {
        routes.add(route("198.51.100.0/24", "100.64.0.1", 3, 500));
        assertEquals("cell", choose(List.of()).orElseThrow().uplink());
    }

    /** A full tunnel's own host route to the gateway (via the cellular uplink it moved to) does not pin the choice. */
    @Test
    void theTunnelsOwnHostRouteToTheGatewayIsNotAWayTheNetworkOffers() {
        routes.add(route("198.51.100.1/32", "100.64.0.1", 3, 0));
        NetworkState state = new NetworkState(links, addresses, routes);
        assertEquals("cell", UplinkChoice.choose(state, List.of(GW), List.of(), Set.of("mvpn0")).orElseThrow().uplink(),
                "counted, it is the most specific route");
        assertEquals("wired", UplinkChoice.choose(state, List.of(GW), List.of(), Set.of("mvpn0"),
                Set.of(IpPrefix.host(GW))).orElseThrow().uplink(), "held: the wired uplink is the network's way");
    }

    @Test
    void thePreferredInterfaceWinsWhenItReachesTheGateway() {
        NetworkPath p = choose(List.of("cell", "wired")).orElseThrow();
        assertEquals("cell", p.uplink());
        assertTrue(p.preferred(), "against the kernel's choice: it must be pinned");
        assertFalse(choose(List.of("wired", "cell")).orElseThrow().preferred(), "the kernel's choice needs no pin");
        assertEquals("wired", choose(List.of("wwan9")).orElseThrow().uplink(), "an absent one is passed over");
    }

    @Test
    void anIpv6OnlyUplinkReachesTheGatewaysIpv6AddressAndIpv4WinsBack() {
        links.set(1, new NetworkLink(2, "wired", true, false, false));
        links.set(2, new NetworkLink(3, "cell", true, false, false));
        links.add(new NetworkLink(4, "v6", true, true, false));
        addresses.add(new LinkAddress(4, IpPrefix.parse("fe80::2/64"), false, true));
        addresses.add(new LinkAddress(4, IpPrefix.parse("2001:db8:64::2/64"), true, true));
        routes.add(route("::/0", "fe80::1", 4, 1024));
        NetworkPath v6 = choose(List.of()).orElseThrow();
        assertEquals(GW6, v6.remote());
        assertEquals(IpAddresses.parse("2001:db8:64::2"), v6.local(), "a global source, not the link-local one");
        links.set(1, new NetworkLink(2, "wired", true, true, false));
        assertEquals(GW, choose(List.of()).orElseThrow().remote(), "the profile's address first when it is reachable");
    }

    @Test
    void ourTunnelIsNeverAnUplinkAndWithoutAnyThereIsNoPath() {
        links.add(new NetworkLink(9, "mvpn0", true, true, false));
        addresses.add(new LinkAddress(9, IpPrefix.parse("198.18.0.1/32"), true, true));
        routes.add(route("0.0.0.0/1", null, 9, 5));
        routes.add(route("128.0.0.0/1", null, 9, 5));
        assertEquals("wired", choose(List.of()).orElseThrow().uplink());
        links.set(1, new NetworkLink(2, "wired", false, false, false));
        links.set(2, new NetworkLink(3, "cell", false, false, false));
        assertTrue(choose(List.of()).isEmpty(), "the full tunnel's routes lead into the tunnel itself");
    }

    /**
     * The first handshake's path: the preferred uplink only where the kernel's route leads out of another, our own
     * host route to the gateway (an earlier attempt's) not counted; over IPv6 too, through the link's router.
     */
    @Test
    void theFirstHandshakeNeedsAPathOnlyWhereThePreferenceDiffersFromTheKernel() {
        NetworkState state = new NetworkState(links, addresses, routes);
        NetworkPath cell = UplinkChoice.preferredAgainstKernel(state, GW, List.of("cell", "wired")).orElseThrow();
        assertEquals("cell", cell.uplink());
        assertEquals(IpAddresses.parse("100.64.0.1"), cell.nextHop());
        assertTrue(cell.preferred());
        assertEquals(Optional.empty(), UplinkChoice.preferredAgainstKernel(state, GW, List.of("wired", "cell")),
                "the kernel's route is the preferred one");
        assertEquals(Optional.empty(), UplinkChoice.preferredAgainstKernel(state, GW, List.of()), "no preference");
        assertEquals(Optional.empty(), UplinkChoice.preferredAgainstKernel(null, GW, List.of("cell")),
                "the networks not known yet");

        routes.add(route("198.51.100.1/32", "198.51.100.65", 2, 0)); // left by an earlier attempt over wired
        assertEquals("cell", UplinkChoice.preferredAgainstKernel(new NetworkState(links, addresses, routes), GW,
                List.of("cell")).orElseThrow().uplink(), "our host route does not count");

        addresses.add(new LinkAddress(2, IpPrefix.parse("2001:db8:66::2/64"), true, true));
        addresses.add(new LinkAddress(3, IpPrefix.parse("2001:db8:64::2/64"), true, true));
        routes.add(route("::/0", "fe80::1", 2, 100));
        routes.add(route("::/0", "fe80::64", 3, 200));
        NetworkPath cell6 = UplinkChoice.preferredAgainstKernel(new NetworkState(links, addresses, routes), GW6,
                List.of("cell")).orElseThrow();
        assertEquals("cell", cell6.uplink());
        assertEquals(IpAddresses.parse("2001:db8:64::2"), cell6.local());
        assertEquals(IpAddresses.parse("fe80::64"), cell6.nextHop());
    }
}
