package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.KillSwitchPolicy;
import org.mobilevpn.testsupport.TestLogger;

/** The kill switch follows the connection: engaged before any attempt, through failures, until vpn:down. */
class ConnectionKillSwitchTest {
    final Fakes f = Fakes.create();
    final ManualScheduler scheduler = new ManualScheduler();
    final TestLogger log = new TestLogger();
    final Map<String, Boolean> persisted = new HashMap<>();
    Connection c;

    static VpnProfile killSwitchProfile() {
        return ConnectionTest.profileBuilder().killSwitch(true)
                .splitExclude(List.of(TrafficSelector.parse("198.19.0.0/24"))).build();
    }

    @BeforeEach
    void setUp() {
        c = newConnection();
        c.profileArrived(killSwitchProfile());
    }

    Connection newConnection() {
        return new Connection("office", new ConnectionContext(f.services(), new Fakes.RecordingEvents(), log, scheduler,
                scheduler.clock, () -> 0.5, new PolicySettings(1500, true, Duration.ofSeconds(1), Duration.ofMinutes(2), 0.2,
                        Duration.ofSeconds(5), Duration.ofSeconds(10), true), persisted::put));
    }

    Fakes.FakeSession connect() {
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        Fakes.FakeSession s = f.engine.last();
        s.listener.ikeSaEstablished(Fakes.ikeSa());
        s.listener.childSaEstablished(Fakes.child(ConnectionTest.SPI_IN, ConnectionTest.SPI_OUT));
        scheduler.runPending();
        return s;
    }

    KillSwitchPolicy installed() {
        return f.killSwitch.installed.get("office");
    }

    @Test
    void engagedBeforeTheFirstIkePacketWithTheGatewaysPortsAndExclusions() {
        assertTrue(f.killSwitch.installed.isEmpty(), "a profile that is not wanted engages nothing");
        c.up(VpnManager.REASON_REQUESTED);
        assertEquals("apply office on tunnelled=[] after []", f.killSwitch.changes.get(0));
        assertEquals(new KillSwitchPolicy(true, List.of(Fakes.ip("198.51.100.1")), List.of(500, 4500),
                List.of(IpPrefix.parse("198.19.0.0/24")), List.of()), installed());
        assertTrue(status().killSwitch());
        assertEquals(7, status().blockedPackets());
    }

    @Test
    void itStaysThroughTheTunnelAndItsFailureAndGoesOnlyWithVpnDown() {
        Fakes.FakeSession s = connect();
        assertEquals(List.of(IpPrefix.parse("203.0.113.0/24")), installed().tunnelled(), "the tunnel's destinations");
        s.listener.failed(FailureReason.PEER_GONE, "gone");
        scheduler.runPending();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertTrue(installed().killSwitch(), "engaged while reconnecting");
        assertEquals(List.of(), installed().tunnelled(), "no tunnel, no tunnel device to leave by");
        c.down(VpnManager.REASON_REQUESTED);
        assertTrue(f.killSwitch.installed.isEmpty());
        assertTrue(f.killSwitch.changes.get(f.killSwitch.changes.size() - 1)
                .startsWith("remove office: the connection is taken down"), f.killSwitch.changes.toString());
        assertFalse(status().killSwitch());
    }

    @Test
    void aCleanStopKeepsItUnlessConfiguredToReleaseItAndSaysSo() {
        connect();
        c.shutdown(false);
        assertTrue(installed().killSwitch());
        assertTrue(log.lines.stream().anyMatch(l -> l.contains("stays engaged while the runtime is stopped")), log.lines.toString());
        c.shutdown(true);
        assertTrue(f.killSwitch.installed.isEmpty());
        assertTrue(f.killSwitch.changes.contains("remove office: the runtime stops (release_kill_switch_on_stop)"));
    }

    @Test
    void theProfilesRemovalOrItsKillSwitchTurnedOffReleaseIt() {
        c.up(VpnManager.REASON_REQUESTED);
        c.profileArrived(ConnectionTest.profile());
        assertTrue(f.killSwitch.installed.isEmpty(), "no tunnel and no kill switch: nothing to hold");
        assertTrue(f.killSwitch.changes.contains("remove office: kill_switch is off in the profile"));
        c.profileArrived(killSwitchProfile());
        assertTrue(installed().killSwitch());
        c.profileRemoved();
        assertTrue(f.killSwitch.installed.isEmpty());
        assertTrue(f.killSwitch.changes.contains("remove office: the profile was removed"));
    }

    @Test
    void noAttemptStartsWhileTheKillSwitchCannotBeEngaged() {
        f.killSwitch.refuse = true;
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertEquals(0, f.engine.sessions.size(), "no IKE packet without the kill switch");
        assertTrue(status().lastError().orElseThrow().message().contains("Operation not permitted"));
        f.killSwitch.refuse = false;
        scheduler.advance(Duration.ofSeconds(2));
        scheduler.runPending();
        assertEquals(1, f.engine.sessions.size());
        assertTrue(installed().killSwitch());
    }

    @Test
    void withoutTheServiceAKillSwitchConnectionWaitsForIt() {
        Fakes.FakeKillSwitch ks = f.killSwitch;
        f.killSwitch = null;
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertEquals("KillSwitch", status().waitingFor().orElseThrow());
        assertEquals(0, f.engine.sessions.size());
        f.killSwitch = ks;
        c.servicesChanged();
        scheduler.runPending();
        assertEquals(1, f.engine.sessions.size());
    }

    @Test
    void withoutKillSwitchOnlyTheUpTunnelsDestinationsAreHeldToIt() {
        c.profileArrived(ConnectionTest.profile());
        c.up(VpnManager.REASON_REQUESTED);
        assertTrue(f.killSwitch.installed.isEmpty(), "nothing held back before a tunnel is up");
        Fakes.FakeSession s = connect();
        assertEquals(new KillSwitchPolicy(false, List.of(Fakes.ip("198.51.100.1")), List.of(500, 4500), List.of(),
                List.of(IpPrefix.parse("203.0.113.0/24"))), installed());
        assertFalse(status().killSwitch());
        s.listener.failed(FailureReason.PEER_GONE, "gone");
        scheduler.runPending();
        assertTrue(f.killSwitch.installed.isEmpty(), "the tunnel is down: its destinations are free again");
    }

    @Test
    void rulesLeftByAnEarlierRunStayUntilTheProfileArrivesAndFollowIt() {
        f.killSwitch.installed.put("office",
                new KillSwitchPolicy(true, List.of(Fakes.ip("198.51.100.1")), List.of(500, 4500), List.of(), List.of()));
        Connection restarted = newConnection();
        restarted.restoreWanted();
        restarted.servicesChanged();
        assertTrue(f.killSwitch.installed.containsKey("office"), "no profile yet: the earlier run's rules hold");
        restarted.profileArrived(ConnectionTest.profile());
        scheduler.runPending();
        assertFalse(f.killSwitch.installed.containsKey("office"), "the profile has no kill switch any more");
    }

    @Test
    void theManagerRemovesRulesOfConnectionsNobodyWants() {
        f.killSwitch.installed.put("old", new KillSwitchPolicy(true, List.of(), List.of(), List.of(), List.of()));
        ConnectionManager m = new ConnectionManager(new ConnectionContext(f.services(), new Fakes.RecordingEvents(), log,
                scheduler, scheduler.clock, () -> 0.5, PolicySettings.defaults(), (n, w) -> { }),
                new PersistedConnections(java.nio.file.Path.of("target", "no-such-wanted-file"), log));
        m.start();
        m.reconcileKillSwitches(f.killSwitch);
        assertTrue(f.killSwitch.installed.isEmpty());
        assertEquals(List.of("remove old: the connection is not wanted (any more)"), f.killSwitch.changes);
    }

    /**
     * A move may take the IKE SA to an address the gateway announced (MOBIKE, e.g. its IPv6 address for an
     * IPv6-only uplink) or moved itself to: IKE and ESP must reach it through the kill switch before the move.
     */
    @Test
    void theGatewaysAnnouncedAndNewAddressesJoinTheExceptions() {
        Fakes.FakeSession s = connect();
        s.listener.gatewayAddresses(List.of(Fakes.ip("2001:db8:100::1")));
        scheduler.runPending();
        assertEquals(List.of(Fakes.ip("198.51.100.1"), Fakes.ip("2001:db8:100::1")), installed().gateways());
        s.listener.ikeSaMoved(new java.net.InetSocketAddress(Fakes.ip("100.64.0.2"), 4500),
                new java.net.InetSocketAddress(Fakes.ip("198.51.100.9"), 4500),
                new org.mobilevpn.api.ike.NatState(false, false, false));
        scheduler.runPending();
        assertEquals(List.of(Fakes.ip("198.51.100.1"), Fakes.ip("2001:db8:100::1"), Fakes.ip("198.51.100.9")),
                installed().gateways());
        assertTrue(installed().killSwitch());
    }

    private org.mobilevpn.api.policy.ConnectionStatus status() {
        return c.view().render(scheduler.clock.instant());
    }
}
