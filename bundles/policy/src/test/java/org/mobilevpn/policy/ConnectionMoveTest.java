package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.net.LinkAddress;
import org.mobilevpn.api.net.NetworkLink;
import org.mobilevpn.api.net.NetworkRoute;
import org.mobilevpn.api.net.NetworkState;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.testsupport.TestLogger;

/**
 * A connection follows the path to its gateway (issue 13): the uplink in use goes, the IKE SA moves (MOBIKE), and the
 * connection is DEGRADED until the gateway confirmed; without MOBIKE, a new IKE SA over the new path at once.
 */
class ConnectionMoveTest {
    final Fakes f = Fakes.create();
    final ManualScheduler scheduler = new ManualScheduler();
    final Fakes.RecordingEvents events = new Fakes.RecordingEvents();
    final Map<String, Boolean> persisted = new HashMap<>();
    Connection c;

    /** wan0 198.51.100.2 on the gateway's link, cell0 100.64.0.2 with a route to the gateway's network (metric 200). */
    final List<NetworkLink> links = new ArrayList<>(List.of(new NetworkLink(2, "wan0", true, true, false),
            new NetworkLink(3, "cell0", true, true, false), new NetworkLink(4, "mvpn0", true, true, false)));
    final List<LinkAddress> addresses = new ArrayList<>(List.of(
            new LinkAddress(2, IpPrefix.parse("198.51.100.2/24"), true, true),
            new LinkAddress(3, IpPrefix.parse("100.64.0.2/24"), true, true),
            new LinkAddress(4, IpPrefix.parse("198.18.0.1/32"), true, true)));
    final List<NetworkRoute> routes = new ArrayList<>(List.of(
            new NetworkRoute(IpPrefix.parse("198.51.100.0/24"), null, 2, 0, Fakes.ip("198.51.100.2")),
            new NetworkRoute(IpPrefix.parse("198.51.100.0/24"), Fakes.ip("100.64.0.1"), 3, 200, null),
            new NetworkRoute(IpPrefix.parse("100.64.0.0/24"), null, 3, 0, Fakes.ip("100.64.0.2")),
            new NetworkRoute(IpPrefix.parse("198.51.100.0/24"), null, 4, 0, null)));

    @BeforeEach
    void setUp() {
        c = new Connection("office", new ConnectionContext(f.services(), events, new TestLogger(), scheduler,
                scheduler.clock, () -> 0.5, new PolicySettings(1500, true, Duration.ofSeconds(1), Duration.ofMinutes(2),
                        0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), true), persisted::put));
        c.profileArrived(ConnectionTest.profile());
    }

    Fakes.FakeSession connect() {
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        return established();
    }

    /**
     * Connects while the host's networks stay unknown: with {@code uplinks} the attempt waits for them
     * {@link Connection#NETWORK_WITHIN}, then takes the kernel's route; the networks come once it is up.
     */
    Fakes.FakeSession connectBeforeTheNetworksAreKnown() {
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertEquals(0, f.engine.sessions.size(), "waiting for the networks");
        scheduler.advance(Connection.NETWORK_WITHIN);
        return established();
    }

    Fakes.FakeSession established() {
        Fakes.FakeSession s = f.engine.last();
        s.listener.ikeSaEstablished(Fakes.ikeSa());
        s.listener.childSaEstablished(Fakes.child(ConnectionTest.SPI_IN, ConnectionTest.SPI_OUT));
        scheduler.runPending();
        network();
        return s;
    }

    void network() {
        c.networkChanged(new NetworkState(links, addresses, routes));
        scheduler.runPending();
    }

    void wiredDown() {
        links.set(0, new NetworkLink(2, "wan0", false, false, false));
        routes.remove(0);
        network();
    }

    @Test
    void theUplinkInUseIsFollowedAndNothingMovesWhileItStays() {
        Fakes.FakeSession s = connect();
        assertEquals(List.of(), s.moves, "the path in use is the kernel's: nothing to do");
        assertEquals(ConnectionState.CONNECTED, c.state());
        wiredDown();
        assertEquals(List.of("100.64.0.2 -> 198.51.100.1"), s.moves);
        assertEquals(ConnectionState.DEGRADED, c.state(), "the gateway still sends ESP to the wired address");
        network();
        assertEquals(1, s.moves.size(), "asked once");
    }

    @Test
    void theGatewaysConfirmationIsConnectedWithTheSameSasAndTheNewAddresses() {
        Fakes.FakeSession s = connect();
        wiredDown();
        scheduler.advance(Duration.ofMillis(30));
        InetSocketAddress cellular = new InetSocketAddress(Fakes.ip("100.64.0.2"), 4500);
        s.listener.ikeSaMoved(cellular, Fakes.GATEWAY_NATT, new NatState(false, false, true));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(cellular, c.view().render(scheduler.clock.instant()).localAddress().orElseThrow());
        assertEquals(1, f.engine.sessions.size(), "the same IKE SA");
        assertTrue(events.events.contains("office DEGRADED UPLINK_CHANGED"), events.events.toString());
        assertEquals(List.of("office MOVED 198.51.100.2 -> 100.64.0.2 30 ms", "office CONNECTED MOVED"),
                events.events.subList(events.events.size() - 2, events.events.size()), "the outage since the change");
        ConnectionStatus status = c.view().render(scheduler.clock.instant());
        assertEquals("cell0", status.uplink().orElseThrow(), "the uplink in use");
        assertEquals(1, status.moves());
        assertEquals(Duration.ofMillis(30), status.moveOutage());
    }

    @Test
    void aMoveOutOfTheNatStopsNatKeepalivesAndOneBehindANatStartsThemAgain() {
        Fakes.FakeSession s = connect(); // behind a NAT: the tunnel sends keepalives
        wiredDown();
        f.ops.clear();
        InetSocketAddress cellular = new InetSocketAddress(Fakes.ip("100.64.0.2"), 4500);
        s.listener.ikeSaMoved(cellular, Fakes.GATEWAY_NATT, new NatState(false, false, false));
        scheduler.runPending();
        assertTrue(f.ops.contains("keepalive 0s"), "no NAT on the new path: " + f.ops);
        f.ops.clear();
        s.listener.ikeSaMoved(cellular, Fakes.GATEWAY_NATT, new NatState(true, false, false));
        scheduler.runPending();
        assertTrue(f.ops.contains("keepalive 20s"), "a NAT on the new path: " + f.ops);
        f.ops.clear();
        s.listener.ikeSaMoved(cellular, Fakes.GATEWAY_NATT, new NatState(true, false, false));
        scheduler.runPending();
        assertTrue(f.ops.stream().noneMatch(o -> o.startsWith("keepalive")), "unchanged: " + f.ops);
    }

    @Test
    void theStatusNamesTheUplinkInUseFromTheStart() {
        connect();
        assertEquals("wan0", c.view().render(scheduler.clock.instant()).uplink().orElseThrow());
    }

    @Test
    void withoutMobikeANewIkeSaIsMadeAtOnceWhileTheOldTunnelStays() {
        Fakes.FakeSession s = connect();
        wiredDown();
        s.listener.moveImpossible("the gateway did not agree to MOBIKE in IKE_AUTH");
        scheduler.runPending();
        assertEquals(2, f.engine.sessions.size(), "a new one starts without a backoff delay");
        assertTrue(!s.closed, "the old IKE SA stays until the new one is up (make-before-break)");
        assertTrue(!f.nics.last().closed, "the tunnel stays");
        assertEquals(ConnectionState.DEGRADED, c.state());
    }

    @Test
    void withoutMobikeAndNoNewIkeSaTheConnectionStartsAgain() {
        Fakes.FakeSession s = connect();
        wiredDown();
        s.listener.moveImpossible("the gateway did not agree to MOBIKE in IKE_AUTH");
        scheduler.runPending();
        f.engine.last().listener.failed(org.mobilevpn.api.FailureReason.UNREACHABLE, "no answer");
        scheduler.runPending();
        assertTrue(s.closed, "the old IKE SA cannot carry anything over the lost path");
        assertTrue(f.nics.last().closed);
        assertEquals(ConnectionState.RECONNECTING, c.state());
    }

    @Test
    void withoutAnyUplinkItIsDegradedAndMovesWhenOneAppears() {
        Fakes.FakeSession s = connect();
        NetworkRoute cell = routes.remove(1);
        wiredDown();
        assertEquals(ConnectionState.DEGRADED, c.state());
        assertEquals(List.of(), s.moves);
        routes.add(cell);
        network();
        assertEquals(List.of("100.64.0.2 -> 198.51.100.1"), s.moves);
    }

    /** The gateway host routes the connection asked the NIC for, in order. */
    List<String> gatewayRoutes() {
        return f.ops.stream().filter(o -> o.startsWith("nic.routeGateway")).toList();
    }

    @Test
    void withoutUplinksNorAFullTunnelTheKernelRoutesTheGateway() {
        connect();
        wiredDown();
        assertEquals(List.of(), gatewayRoutes());
    }

    /**
     * {@code uplinks = cell0, wan0} against the kernel's route over wan0, the networks known only once the IKE SA is
     * up (the handshake took the kernel's route): the IKE SA moves to cell0 at once, with the gateway's host route on cell0 first (the kernel would send from wan0 otherwise); that route does not
     * pin the choice (cell0 gone: back to wan0); cell0 back: back to it.
     */
    @Test
    void thePreferredUplinkWinsOverTheKernelsRouteAndIsFollowedBothWays() {
        c.profileArrived(ConnectionTest.profileBuilder().uplinks(List.of("cell0", "wan0")).build());
        Fakes.FakeSession s = connectBeforeTheNetworksAreKnown();
        assertEquals(List.of("100.64.0.2 -> 198.51.100.1"), s.moves, "moved to the preferred uplink at once");
        assertEquals(List.of("nic.routeGateway 198.51.100.1 dev cell0 via 100.64.0.1"), gatewayRoutes());
        assertEquals(ConnectionState.CONNECTED, c.state(), "wan0 carries the traffic until the gateway confirmed");
        s.listener.ikeSaMoved(new InetSocketAddress(Fakes.ip("100.64.0.2"), 4500), Fakes.GATEWAY_NATT,
                new NatState(true, false, true)); // behind the carrier's NAT
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals("cell0", c.view().render(scheduler.clock.instant()).uplink().orElseThrow());

        NetworkRoute ours = new NetworkRoute(IpPrefix.parse("198.51.100.1/32"), Fakes.ip("100.64.0.1"), 3, 0, null);
        routes.add(ours); // as the kernel shows the host route
        network();
        assertEquals(1, s.moves.size(), "the preferred uplink stays while it is there");

        NetworkLink cell = links.set(1, new NetworkLink(3, "cell0", false, false, false));
        routes.remove(ours); // the kernel drops routes with their link
        NetworkRoute cellNet = routes.remove(1);
        routes.add(new NetworkRoute(IpPrefix.parse("198.51.100.1/32"), null, 2, 0, null)); // our route, now on wan0
        network();
        assertEquals("198.51.100.2 -> 198.51.100.1", s.moves.get(1), "cell0 gone: the next one listed");
        assertEquals(ConnectionState.DEGRADED, c.state(), "the gateway sends to an address that is gone");
        assertEquals("nic.routeGateway 198.51.100.1 dev wan0", gatewayRoutes().get(1));
        s.listener.ikeSaMoved(new InetSocketAddress(Fakes.ip("198.51.100.2"), 4500), Fakes.GATEWAY_NATT,
                new NatState(false, false, true));
        scheduler.runPending();

        links.set(1, cell);
        routes.add(1, cellNet);
        network();
        assertEquals(List.of("100.64.0.2 -> 198.51.100.1", "198.51.100.2 -> 198.51.100.1", "100.64.0.2 -> 198.51.100.1"),
                s.moves, "back to cell0 although our host route names wan0");
        assertEquals(ConnectionState.CONNECTED, c.state(), "back to the preferred uplink while wan0 still works");
        assertEquals(1, events.events.stream().filter(e -> e.contains("DEGRADED")).count(), events.events.toString());
        assertEquals("nic.routeGateway 198.51.100.1 dev cell0 via 100.64.0.1", gatewayRoutes().get(2));
    }

    /**
     * The networks are known before the connection starts, and {@code uplinks = cell0, wan0} prefers cell0 against the
     * kernel's route over wan0: the gateway's host route on cell0 is there before the first IKE_SA_INIT, the IKE SA is
     * made over cell0, the NIC routes the gateway the same way once up (taking the route over: the attempt's handle is
     * closed without a move). Red before: the handshake went by the kernel's route and the IKE SA moved at once.
     */
    @Test
    void thePreferredUplinkCarriesTheFirstHandshakeAndNothingMovesAfterConnecting() {
        startPreferring("cell0", "wan0");
        assertRoutedToCellularBeforeTheHandshake();
        Fakes.FakeSession s = f.engine.last();
        InetSocketAddress cellular = new InetSocketAddress(Fakes.ip("100.64.0.2"), 4500);
        s.listener.ikeSaEstablished(Fakes.ikeSa(cellular));
        s.listener.childSaEstablished(Fakes.child(ConnectionTest.SPI_IN, ConnectionTest.SPI_OUT));
        scheduler.runPending();
        assertEquals(List.of(), s.moves, "made over the preferred uplink: nothing to move");
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals("cell0", c.view().render(scheduler.clock.instant()).uplink().orElseThrow());
        int nicRoute = f.ops.indexOf("nic.routeGateway 198.51.100.1 dev cell0 via 100.64.0.1");
        int released = f.ops.indexOf("nics.routeGateway closed 198.51.100.1 dev cell0 via 100.64.0.1");
        assertTrue(nicRoute >= 0 && released > nicRoute, "the NIC's route before the attempt's goes: " + f.ops);
        assertEquals(0, c.view().render(scheduler.clock.instant()).moves());
    }

    /**
     * The NIC's route to the gateway goes with the NIC at vpn:down; the DELETE that follows leaves by the preferred
     * uplink again (red before: by the kernel's route, from an address the IKE SA does not name), and that route goes
     * when the gateway has answered.
     */
    @Test
    void theDeleteAtDisconnectLeavesByThePreferredUplinkToo() {
        startPreferring("cell0", "wan0");
        Fakes.FakeSession s = f.engine.last();
        s.listener.ikeSaEstablished(Fakes.ikeSa(new InetSocketAddress(Fakes.ip("100.64.0.2"), 4500)));
        s.listener.childSaEstablished(Fakes.child(ConnectionTest.SPI_IN, ConnectionTest.SPI_OUT));
        scheduler.runPending();
        f.ops.clear();
        c.down(VpnManager.REASON_REQUESTED);
        String route = "nics.routeGateway 198.51.100.1 dev cell0 via 100.64.0.1";
        assertEquals(List.of("tunnel.close", "nic.close", route, "ike.close"), f.ops);
        s.listener.childSaDeleted(ConnectionTest.SPI_IN, false);
        s.listener.ikeSaDeleted(false);
        scheduler.runPending();
        assertEquals(ConnectionState.DISABLED, c.state());
        assertEquals(List.of("tunnel.close", "nic.close", route, "ike.close", "nics.routeGateway closed 198.51.100.1 dev cell0 via 100.64.0.1"), f.ops);
    }

    /** A gateway that never answers our DELETE: the DELETE's route goes with the disconnect timeout. */
    @Test
    void theDeletesRouteGoesAlsoWhenTheGatewayNeverAnswers() {
        startPreferring("cell0", "wan0");
        Fakes.FakeSession s = f.engine.last();
        s.listener.ikeSaEstablished(Fakes.ikeSa(new InetSocketAddress(Fakes.ip("100.64.0.2"), 4500)));
        s.listener.childSaEstablished(Fakes.child(ConnectionTest.SPI_IN, ConnectionTest.SPI_OUT));
        scheduler.runPending();
        f.ops.clear();
        c.down(VpnManager.REASON_REQUESTED);
        assertFalse(f.ops.contains("nics.routeGateway closed 198.51.100.1 dev cell0 via 100.64.0.1"), f.ops.toString());
        scheduler.advance(Duration.ofSeconds(5)); // the settings' disconnect timeout
        assertEquals(ConnectionState.DISABLED, c.state());
        assertTrue(f.ops.contains("nics.routeGateway closed 198.51.100.1 dev cell0 via 100.64.0.1"), f.ops.toString());
    }

    /**
     * At the runtime's start the network watcher may publish the host's networks after the first attempt is due: with
     * {@code uplinks} the attempt waits for them, and starts over the preferred uplink the moment they come.
     */
    @Test
    void aFirstAttemptWaitsForTheNetworksToKnowThePreferredUplink() {
        c.profileArrived(ConnectionTest.profileBuilder().uplinks(List.of("cell0", "wan0")).build());
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertEquals(0, f.engine.sessions.size(), "no IKE_SA_INIT before the preferred uplink is known");
        assertEquals(ConnectionState.CONNECTING, c.state());
        network();
        assertEquals(1, f.engine.sessions.size());
        assertRoutedToCellularBeforeTheHandshake();
        scheduler.advance(Connection.NETWORK_WITHIN);
        assertEquals(1, f.engine.sessions.size(), "started once");
    }

    /** A connect that fails before its tunnel is up removes the route it set for its first handshake. */
    @Test
    void aFailedFirstHandshakeLeavesNoRouteToThePreferredUplink() {
        startPreferring("cell0", "wan0");
        f.engine.last().listener.failed(org.mobilevpn.api.FailureReason.UNREACHABLE, "no answer to IKE_SA_INIT");
        scheduler.runPending();
        assertTrue(f.ops.contains("nics.routeGateway closed 198.51.100.1 dev cell0 via 100.64.0.1"), f.ops.toString());
    }

    /**
     * The vnic bundle goes during the handshake, and its factory removes the route to the preferred uplink: the rest of
     * the exchange would leave by another uplink than the IKE SA names, so the attempt starts again.
     */
    @Test
    void theNicFactoryGoingDuringTheHandshakeStartsItAgain() {
        startPreferring("cell0", "wan0");
        c.nicFactoryLeaving(f.nics);
        scheduler.runPending();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertTrue(f.engine.last().closed, "the half-made IKE SA is given up");
    }

    /** Where the kernel's route already leads out of the preferred uplink, no route is set for the handshake. */
    @Test
    void theKernelsRouteOnThePreferredUplinkNeedsNoRoute() {
        startPreferring("wan0", "cell0");
        assertTrue(f.ops.stream().noneMatch(o -> o.startsWith("nics.routeGateway")), f.ops.toString());
    }

    /** The networks known, a profile preferring {@code uplinks}, up: the first attempt starts. */
    private void startPreferring(String... uplinks) {
        c.profileArrived(ConnectionTest.profileBuilder().uplinks(List.of(uplinks)).build());
        network();
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
    }

    /** The gateway's host route on cell0 was set before the IKE session started. */
    private void assertRoutedToCellularBeforeTheHandshake() {
        int routed = f.ops.indexOf("nics.routeGateway 198.51.100.1 dev cell0 via 100.64.0.1");
        int started = -1;
        for (int i = 0; i < f.ops.size() && started < 0; i++) {
            started = f.ops.get(i).startsWith("ike.start") ? i : -1;
        }
        assertTrue(routed >= 0 && routed < started, f.ops.toString());
    }

    /** Without MOBIKE, the preferred uplink gets a new IKE SA, made before the old one goes; wan0 works meanwhile. */
    @Test
    void withoutMobikeThePreferredUplinkGetsANewIkeSaWhileTheOldPathStaysConnected() {
        c.profileArrived(ConnectionTest.profileBuilder().uplinks(List.of("cell0", "wan0")).build());
        Fakes.FakeSession s = connectBeforeTheNetworksAreKnown();
        assertEquals(List.of("nic.routeGateway 198.51.100.1 dev cell0 via 100.64.0.1"), gatewayRoutes());
        s.listener.moveImpossible("the gateway did not agree to MOBIKE in IKE_AUTH");
        scheduler.runPending();
        assertEquals(2, f.engine.sessions.size(), "a new IKE SA, over the pinned route");
        assertEquals(ConnectionState.CONNECTED, c.state(), "the old IKE SA on wan0 carries the traffic meanwhile");
    }
}
