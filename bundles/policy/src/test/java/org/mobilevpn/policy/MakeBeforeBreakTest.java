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
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.TestLogger;

/**
 * A new IKE SA replaces the current one while the current tunnel carries the traffic (RFC 7296 §2.8.3): for
 * reauthentication ({@code reauth_time}) and after a path change the gateway cannot follow (no MOBIKE). The device,
 * its routes and the kill switch stay; the new Child SA replaces the old one in place; the old IKE SA is deleted last.
 */
class MakeBeforeBreakTest {
    static final int NEW_SPI_IN = 0xc0000002;
    static final int NEW_SPI_OUT = 0xd0000002;
    final Fakes f = Fakes.create();
    final ManualScheduler scheduler = new ManualScheduler();
    final Fakes.RecordingEvents events = new Fakes.RecordingEvents();
    final Map<String, Boolean> persisted = new HashMap<>();
    Connection c;

    @BeforeEach
    void setUp() {
        c = new Connection("office", new ConnectionContext(f.services(), events, new TestLogger(), scheduler,
                scheduler.clock, () -> 0.5, new PolicySettings(1500, true, Duration.ofSeconds(1), Duration.ofMinutes(2),
                        0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), true), persisted::put));
        VpnProfile.Builder b = ConnectionTest.profileBuilder().reauthTime(Duration.ofMinutes(10)).killSwitch(true);
        c.profileArrived(b.build());
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

    Fakes.FakeSession reauthStarted() {
        Fakes.FakeSession old = connect();
        scheduler.advance(Duration.ofMinutes(10));
        scheduler.runPending();
        assertEquals(2, f.engine.sessions.size(), "reauth_time ran out: a second IKE session");
        return old;
    }

    @Test
    void theNewIkeSaAsksForTheVirtualIpTheTunnelHasAndSendsNoInitialContact() {
        reauthStarted();
        Fakes.FakeSession next = f.engine.last();
        assertEquals(List.of(Fakes.ip("198.18.0.1")), next.config.vips());
        assertFalse(next.config.initialContact());
    }

    @Test
    void theOldIkeSaIsDeletedOnlyAfterTheNewChildSaCarriesTheTrafficInTheSameDevice() {
        Fakes.FakeSession old = reauthStarted();
        Fakes.FakeSession next = f.engine.last();
        assertFalse(old.closed, "nothing deleted before the new IKE SA is up");
        next.listener.ikeSaEstablished(Fakes.ikeSa());
        scheduler.runPending();
        assertFalse(old.closed, "nor before its Child SA is");
        f.ops.clear();
        next.listener.childSaEstablished(Fakes.child(NEW_SPI_IN, NEW_SPI_OUT));
        scheduler.runPending();
        assertTrue(old.closed, "the old IKE SA is deleted after the take-over");
        assertEquals(1, f.nics.opened.size(), "the same device");
        assertFalse(f.nics.last().closed);
        assertEquals(String.format("install 1 in=%08x out=%08x", NEW_SPI_IN, NEW_SPI_OUT), f.ops.get(0),
                "the new SA pair goes into the same tunnel first: " + f.ops);
        assertTrue(f.killSwitch.installed.containsKey("office"), "the kill switch never went");
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(2, c.view().render(scheduler.clock.instant()).handshakes(), "two IKE SAs made");
        // the old IKE SA's final events are stale: they take nothing down
        old.listener.ikeSaDeleted(false);
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertFalse(f.nics.last().closed);
    }

    @Test
    void theGatewayDeletingTheOldIkeSaFirstLeavesTheTunnelForTheNewOne() {
        Fakes.FakeSession old = reauthStarted();
        Fakes.FakeSession next = f.engine.last();
        old.listener.childSaDeleted(ConnectionTest.SPI_IN, true);
        old.listener.ikeSaDeleted(true); // a gateway that enforces unique identities
        scheduler.runPending();
        assertFalse(f.nics.last().closed, "the device and routes wait for the new IKE SA");
        assertTrue(f.killSwitch.installed.containsKey("office"));
        next.listener.ikeSaEstablished(Fakes.ikeSa());
        next.listener.childSaEstablished(Fakes.child(NEW_SPI_IN, NEW_SPI_OUT));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(1, f.nics.opened.size());
        assertFalse(f.nics.last().closed);
    }

    @Test
    void aFailedReauthenticationKeepsTheOldIkeSaAndTriesAgainLater() {
        Fakes.FakeSession old = reauthStarted();
        f.engine.last().listener.failed(FailureReason.AUTH_FAILED, "the gateway refused");
        scheduler.runPending();
        assertFalse(old.closed);
        assertEquals(ConnectionState.CONNECTED, c.state());
        scheduler.advance(Duration.ofMinutes(2));
        scheduler.runPending();
        assertEquals(3, f.engine.sessions.size(), "tried again");
    }

    @Test
    void aNewVirtualIpGoesOnTheSameDevice() {
        Fakes.FakeSession old = reauthStarted();
        Fakes.FakeSession next = f.engine.last();
        next.listener.ikeSaEstablished(Fakes.ikeSa());
        next.listener.childSaEstablished(new org.mobilevpn.api.ike.ChildSaInfo(NEW_SPI_IN, NEW_SPI_OUT,
                org.mobilevpn.api.ipsec.EncryptionAlgorithm.AES_GCM_16_256, org.mobilevpn.api.ipsec.IntegrityAlgorithm.NONE,
                false, Fakes.child(1, 2).keys(), List.of(org.mobilevpn.api.ipsec.TrafficSelector.parse("198.18.0.9/32")),
                List.of(org.mobilevpn.api.ipsec.TrafficSelector.parse("203.0.113.0/24")), List.of(Fakes.ip("198.18.0.9")),
                List.of(), Duration.ofMinutes(54), Duration.ofMinutes(66), new org.mobilevpn.api.ike.NatState(true, false, true),
                Fakes.CLIENT_NATT, Fakes.GATEWAY_NATT));
        scheduler.runPending();
        assertTrue(old.closed);
        assertEquals(1, f.nics.opened.size(), "the same device");
        assertFalse(f.nics.last().closed);
        assertEquals(List.of(org.mobilevpn.api.net.IpPrefix.parse("198.18.0.9/32")), f.nics.last().config.addresses(),
                "with the new address");
        assertEquals(ConnectionState.CONNECTED, c.state());
    }

    @Test
    void aNewIkeSaBehindANatStartsNatKeepalivesInTheTunnelItTakesOver() {
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        Fakes.FakeSession old = f.engine.last();
        old.listener.ikeSaEstablished(Fakes.ikeSa());
        old.listener.childSaEstablished(Fakes.child(ConnectionTest.SPI_IN, ConnectionTest.SPI_OUT, NatState.none()));
        scheduler.runPending();
        assertTrue(f.ops.stream().anyMatch(o -> o.startsWith("tunnel.open") && o.endsWith("keepalive 0s")),
                "no NAT, no keepalives: " + f.ops);
        scheduler.advance(Duration.ofMinutes(10));
        scheduler.runPending();
        Fakes.FakeSession next = f.engine.last();
        next.listener.ikeSaEstablished(Fakes.ikeSa());
        f.ops.clear();
        next.listener.childSaEstablished(Fakes.child(NEW_SPI_IN, NEW_SPI_OUT, new NatState(true, false, false)));
        scheduler.runPending();
        assertTrue(old.closed, "taken over");
        assertTrue(f.ops.contains("keepalive 20s"), "the new IKE SA is behind a NAT: keepalives from now on: " + f.ops);
    }

    @Test
    void goingDownDropsTheNewIkeSaBeingMade() {
        reauthStarted();
        Fakes.FakeSession next = f.engine.last();
        c.down(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertTrue(next.closed);
    }
}
