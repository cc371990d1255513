package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.EspTransform;
import org.mobilevpn.api.esp.LifetimeLimit;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.GatewayAddress;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.VnicException;
import org.mobilevpn.testsupport.TestLogger;

class ConnectionTest {
    static final String PSK = "correct horse battery staple";
    static final int SPI_IN = 0xc0000001;
    static final int SPI_OUT = 0xd0000001;

    final Fakes f = Fakes.create();
    final ManualScheduler scheduler = new ManualScheduler();
    final Fakes.RecordingEvents events = new Fakes.RecordingEvents();
    final TestLogger log = new TestLogger();
    final Map<String, Boolean> persisted = new HashMap<>();
    double random = 0.5; // jitter factor exactly 1
    Connection c;

    static VpnProfile profile(String... espProposals) {
        return profileBuilder(espProposals).build();
    }

    /** The profile the tests use, still open for changes (its IKE keys through {@link VpnProfile.Builder#ike()}). */
    static VpnProfile.Builder profileBuilder(String... espProposals) {
        IkeSessionConfig.Builder ike = IkeSessionConfig.builder("office")
                .localId(IkeIdentity.parse("client@vpn.test")).remoteId(IkeIdentity.parse("gw.vpn.test"))
                .psk(SecretBytes.copyOf(PSK.getBytes(StandardCharsets.UTF_8)))
                .vips(List.of(Fakes.ip("0.0.0.0"))).remoteTs(List.of(TrafficSelector.parse("203.0.113.0/24")))
                .encap(true);
        if (espProposals.length > 0) {
            ike.espProposals(List.of(espProposals));
        }
        return VpnProfile.builder(ike).remoteAddrs(List.of(new GatewayAddress("198.51.100.1", 500)));
    }

    @BeforeEach
    void setUp() {
        c = new Connection("office", new ConnectionContext(f.services(), events, log, scheduler, scheduler.clock,
                () -> random, new PolicySettings(1500, true, Duration.ofSeconds(1), Duration.ofMinutes(2), 0.2,
                        Duration.ofSeconds(5), Duration.ofSeconds(10), true), persisted::put));
        c.profileArrived(profile());
    }

    /** up, IKE_SA_INIT after 40 ms of virtual time the IKE SA and the first Child SA. */
    Fakes.FakeSession connect() {
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        Fakes.FakeSession s = f.engine.last();
        scheduler.advance(Duration.ofMillis(40));
        s.listener.ikeSaEstablished(Fakes.ikeSa());
        s.listener.childSaEstablished(Fakes.child(SPI_IN, SPI_OUT));
        scheduler.runPending();
        return s;
    }

    ConnectionStatus status() {
        return c.view().render(scheduler.clock.instant());
    }

    @Test
    void aChildSaBecomesNicTunnelAndInstalledSas() {
        Fakes.FakeSession s = connect();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED"), events.events);
        assertEquals(Boolean.TRUE, persisted.get("office"));
        assertEquals("/198.51.100.1:500", s.transport.remote.toString());
        assertEquals(List.of("ike.start /198.51.100.1:500",
                "nic.open [198.18.0.1/32] routes [203.0.113.0/24] mtu 1438",
                "tunnel.open mvpn0 -> /198.51.100.1:4500 keepalive 20s",
                "install 1 in=c0000001 out=d0000001"), f.ops);

        List<EspSa> sas = f.dataPath.last().installed;
        assertEquals(SaDirection.INBOUND, sas.get(0).direction());
        assertEquals(4500, sas.get(0).udpEncapsulation().remotePort());
        byte[] key = sas.get(0).keys().encryptionKey().toByteArray();
        assertEquals(32, key.length);
        assertEquals(Fakes.KEY_BYTE, key[0]); // the keys reached the ESP record ...

        ConnectionStatus st = status();
        assertEquals(List.of(Fakes.ip("198.18.0.1")), st.virtualIps());
        assertEquals("mvpn0", st.interfaceName().orElseThrow());
        assertEquals(Duration.ofMillis(40), st.handshakeDuration().orElseThrow());
        assertEquals("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE25519", st.ikeAlgorithms().orElseThrow());
        assertEquals(Fakes.GATEWAY_NATT, st.gateway().orElseThrow());
        assertTrue(st.udpEncapsulated());
        assertFalse(st.natDetected(), "forced encapsulation is not a NAT");
        ChildSaStatus child = st.childSas().get(0);
        assertEquals(SPI_IN, child.spiIn());
        assertEquals(scheduler.clock.instant().plus(Duration.ofMinutes(54)), child.nextRekey());
        scheduler.advance(Duration.ofSeconds(90));
        assertEquals(Duration.ofSeconds(90), status().uptime());
    }

    @Test
    void theEnginesRecordsAreWipedOnceTheirKeysMovedIntoEspRecords() {
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        ChildSaInfo info = Fakes.child(SPI_IN, SPI_OUT);
        f.engine.last().listener.childSaEstablished(info);
        scheduler.runPending();
        assertTrue(info.keys().in().encryptionKey().isWiped());
        assertFalse(f.dataPath.last().installed.get(0).keys().isClosed());
    }

    @Test
    void countersAndDropsAppearInTheSnapshot() {
        connect();
        Map<EspStatus, Long> inOutcomes = new EnumMap<>(EspStatus.class);
        inOutcomes.put(EspStatus.REPLAY, 2L);
        f.dataPath.last().counters = new DataPathCounters(List.of(
                new SaCounters(1, SPI_IN, SaDirection.INBOUND, 10, 840, inOutcomes, 10, LifetimeState.ACTIVE),
                new SaCounters(1, SPI_OUT, SaDirection.OUTBOUND, 11, 924, Map.of(), 11, LifetimeState.ACTIVE)),
                Map.of(DropReason.UNKNOWN_SPI, 3L, DropReason.MALFORMED, 0L), 11, 10, 12, 13, 1, 2);
        ConnectionStatus st = status();
        ChildSaStatus child = st.childSas().get(0);
        assertEquals(840, child.bytesIn());
        assertEquals(10, child.packetsIn());
        assertEquals(924, child.bytesOut());
        assertEquals(11, child.packetsOut());
        assertEquals(Map.of(EspStatus.REPLAY, 2L), child.drops());
        assertEquals(Map.of(DropReason.UNKNOWN_SPI, 3L), st.drops());
    }

    @Test
    void rekeyInstallsTheNewInboundBeforeTheOldOneGoes() {
        Fakes.FakeSession s = connect();
        EspSa oldIn = f.dataPath.last().installed.get(0);
        EspSa oldOut = f.dataPath.last().installed.get(1);
        f.ops.clear();
        s.listener.childSaRekeyed(SPI_IN, Fakes.child(0xc0000002, 0xd0000002));
        scheduler.runPending();
        assertEquals(List.of("install 1 in=c0000002 out=d0000002"), f.ops, "same Child SA id, new pair");
        assertTrue(oldOut.keys().isClosed(), "old outbound wiped once traffic switched");
        assertFalse(oldIn.keys().isClosed(), "old inbound still decrypts in-flight packets");
        assertEquals("office REKEYED CHILD_SA_REKEYED", events.events.get(events.events.size() - 1));
        assertEquals(0xc0000002, status().childSas().get(0).spiIn());

        s.listener.childSaDeleted(SPI_IN, false); // the engine deleted the old Child SA
        scheduler.runPending();
        assertEquals(List.of("install 1 in=c0000002 out=d0000002", "removeInbound c0000001"), f.ops);
        assertTrue(oldIn.keys().isClosed());
        assertEquals(ConnectionState.CONNECTED, c.state());
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(ConnectionState.CONNECTED, c.state(), "the rekeyed Child SA is still there");
    }

    @Test
    void theGatewaysRekeyReceivesAtOnceButSendsOnlyOnceTheGatewayDeletesTheOldSa() {
        Fakes.FakeSession s = connect();
        EspSa oldOut = f.dataPath.last().installed.get(1);
        f.ops.clear();
        s.listener.childSaRekeyedByPeer(SPI_IN, Fakes.child(0xc0000002, 0xd0000002));
        scheduler.runPending();
        assertEquals(List.of("installInbound c0000002"), f.ops, "our answer is on its way: the gateway cannot decrypt"
                + " the new SA yet, so traffic stays on the old one");
        assertFalse(oldOut.keys().isClosed());
        assertEquals(SPI_IN, status().childSas().get(0).spiIn());
        assertEquals("office REKEYED CHILD_SA_REKEYED", events.events.get(events.events.size() - 1));

        s.listener.childSaDeleted(SPI_IN, true); // the gateway has our answer and deletes the old SA
        scheduler.runPending();
        assertEquals(List.of("installInbound c0000002", "installOutbound d0000002", "removeInbound c0000001"), f.ops);
        assertTrue(oldOut.keys().isClosed());
        assertEquals(0xc0000002, status().childSas().get(0).spiIn());
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(ConnectionState.CONNECTED, c.state(), "the rekeyed Child SA is still there");
    }

    @Test
    void simultaneousRekeysWhereOursSurvivesKeepOursAndDropTheGatewaysRedundantSa() {
        Fakes.FakeSession s = connect();
        f.ops.clear();
        s.listener.childSaRekeyedByPeer(SPI_IN, Fakes.child(0xc0000002, 0xd0000002)); // we answered the gateway's
        s.listener.childSaRekeyed(SPI_IN, Fakes.child(0xc0000003, 0xd0000003)); // ours completed and survives
        scheduler.runPending();
        assertEquals(List.of("installInbound c0000002", "install 1 in=c0000003 out=d0000003"), f.ops);
        s.listener.childSaDeleted(0xc0000002, true); // the gateway deletes its redundant SA
        s.listener.childSaDeleted(SPI_IN, false); // we delete the old one
        scheduler.runPending();
        assertEquals(List.of("installInbound c0000002", "install 1 in=c0000003 out=d0000003", "removeInbound c0000002",
                "removeInbound c0000001"), f.ops);
        assertEquals(List.of(0xc0000003), status().childSas().stream().map(ChildSaStatus::spiIn).toList());
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(1, f.engine.sessions.size(), "no reconnect");
    }

    @Test
    void simultaneousRekeysWhereTheGatewaysSurvivesSwitchToItWhenTheOldSaGoes() {
        Fakes.FakeSession s = connect();
        f.ops.clear();
        s.listener.childSaRekeyedByPeer(SPI_IN, Fakes.child(0xc0000002, 0xd0000002));
        // ours was redundant: the engine deletes it without handing it over; the gateway deletes the old SA
        s.listener.childSaDeleted(SPI_IN, true);
        scheduler.runPending();
        assertEquals(List.of("installInbound c0000002", "installOutbound d0000002", "removeInbound c0000001"), f.ops);
        assertEquals(List.of(0xc0000002), status().childSas().stream().map(ChildSaStatus::spiIn).toList());
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(ConnectionState.CONNECTED, c.state());
    }

    @Test
    void disconnectTakesEverythingDownExactlyOnceAndInOrder() {
        Fakes.FakeSession s = connect();
        List<EspSa> sas = List.copyOf(f.dataPath.last().installed);
        f.ops.clear();
        c.down(VpnManager.REASON_REQUESTED);
        assertEquals(ConnectionState.DISCONNECTING, c.state());
        assertEquals(List.of("tunnel.close", "nic.close", "ike.close"), f.ops);
        sas.forEach(sa -> assertTrue(sa.keys().isClosed(), sa + " wiped"));
        assertEquals(Boolean.FALSE, persisted.get("office"));

        s.listener.childSaDeleted(SPI_IN, false);
        s.listener.ikeSaDeleted(false);
        scheduler.runPending();
        assertEquals(ConnectionState.DISABLED, c.state());
        assertEquals(List.of("tunnel.close", "nic.close", "ike.close"), f.ops, "nothing closed twice");
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED",
                "office DISCONNECTING REQUESTED", "office DISABLED REQUESTED"), events.events);
        assertEquals(0, scheduler.activeTimers());
        ConnectionStatus st = status();
        assertTrue(st.childSas().isEmpty());
        assertTrue(st.interfaceName().isEmpty());
        assertEquals(Duration.ZERO, st.uptime());
    }

    @Test
    void aGatewayThatNeverAnswersOurDeleteStillEndsDisabled() {
        connect();
        c.down(VpnManager.REASON_REQUESTED);
        scheduler.advance(Duration.ofSeconds(4));
        assertEquals(ConnectionState.DISCONNECTING, c.state());
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(ConnectionState.DISABLED, c.state());
    }

    @Test
    void afterAFailureItReconnectsWithBackoffAndComesBack() {
        Fakes.FakeSession first = connect();
        first.listener.failed(FailureReason.PEER_GONE, "no answer to DPD");
        scheduler.runPending();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertTrue(f.nics.last().closed);
        assertTrue(f.dataPath.last().closed);
        ConnectionStatus st = status();
        assertEquals(FailureReason.PEER_GONE, st.lastError().orElseThrow().reason());
        assertEquals(scheduler.clock.instant().plusSeconds(1), st.nextAttempt().orElseThrow());
        assertEquals(1, f.engine.sessions.size());

        scheduler.advance(Duration.ofMillis(999));
        assertEquals(1, f.engine.sessions.size(), "not before the backoff delay");
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(2, f.engine.sessions.size());
        Fakes.FakeSession second = f.engine.last();
        second.listener.childSaEstablished(Fakes.child(0xc0000003, 0xd0000003));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED",
                "office RECONNECTING PEER_GONE", "office CONNECTED ESTABLISHED"), events.events);
        assertEquals(2, f.nics.opened.size());
        assertFalse(f.nics.last().closed);
    }

    @Test
    void repeatedFailuresDoubleTheDelayUpToTwoMinutes() {
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        for (int i = 0; i < 10; i++) {
            f.engine.last().listener.failed(FailureReason.UNREACHABLE, "no answer");
            scheduler.runPending();
            scheduler.advance(scheduler.scheduledDelays.get(scheduler.scheduledDelays.size() - 1));
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 120L, 120L, 120L),
                scheduler.scheduledDelays.stream().map(Duration::toSeconds).toList());
        assertEquals(11, f.engine.sessions.size());
        assertEquals(10, status().failedAttempts());
        assertEquals(List.of("office CONNECTING REQUESTED", "office RECONNECTING UNREACHABLE"), events.events,
                "one event per state change, not per failed attempt");
    }

    @Test
    void theOperatorDoesNotWaitForTheBackoffWhenAskingAgain() {
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        f.engine.last().listener.failed(FailureReason.UNREACHABLE, "no answer");
        scheduler.runPending();
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertEquals(2, f.engine.sessions.size());
        scheduler.advance(Duration.ofSeconds(2));
        assertEquals(2, f.engine.sessions.size(), "the cancelled retry does not start a third attempt");
    }

    @Test
    void aProfileTheEngineRejectsFailsWithoutRetrying() {
        f.engine.startFailure = new IllegalArgumentException("esp_proposals: unknown keyword 'foo'");
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertEquals(ConnectionState.FAILED, c.state());
        assertEquals("INVALID_PROFILE: esp_proposals: unknown keyword 'foo'", status().lastError().orElseThrow().toString());
        assertEquals(0, scheduler.activeTimers());
    }

    @Test
    void aMissingServiceIsAwaitedNotAFailureAndItsArrivalStartsTheAttempt() {
        f.engine.present = false;
        c.up(VpnManager.REASON_AUTOSTART);
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTING, c.state(), "waiting, not failed");
        assertEquals("IkeEngine", status().waitingFor().orElseThrow());
        assertTrue(status().lastError().isEmpty());
        assertEquals(0, scheduler.activeTimers(), "no backoff: the arrival of the service starts it");
        scheduler.advance(Duration.ofMinutes(5));
        assertEquals(ConnectionState.CONNECTING, c.state());
        assertTrue(f.engine.sessions.isEmpty());

        f.engine.present = true;
        c.servicesChanged();
        scheduler.runPending();
        assertEquals(1, f.engine.sessions.size());
        assertTrue(status().waitingFor().isEmpty());
        assertEquals(List.of("office CONNECTING AUTOSTART"), events.events, "no RECONNECTING on the way");
    }

    @Test
    void aServiceGoneDuringABackoffIsAwaitedAtTheRetryAndItsReturnStartsItAtOnce() {
        Fakes.FakeSession first = connect();
        first.listener.failed(FailureReason.PEER_GONE, "no answer to DPD");
        scheduler.runPending();
        f.engine.present = false; // e.g. the IKE bundle is being updated
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertEquals("IkeEngine", status().waitingFor().orElseThrow());
        assertEquals(1, f.engine.sessions.size());
        f.engine.present = true;
        c.servicesChanged();
        scheduler.runPending();
        assertEquals(2, f.engine.sessions.size());
    }

    @Test
    void aConnectionTakenDownWhileWaitingNoLongerWaits() {
        f.engine.present = false;
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        c.down(VpnManager.REASON_REQUESTED);
        assertEquals(ConnectionState.DISABLED, c.state());
        assertTrue(status().waitingFor().isEmpty());
        f.engine.present = true;
        c.servicesChanged();
        scheduler.runPending();
        assertTrue(f.engine.sessions.isEmpty(), "not wanted any more");
    }

    @Test
    void anUnresolvableGatewayIsUnreachable() {
        c.profileArrived(VpnProfile.builder(IkeSessionConfig.builder("office").localId(IkeIdentity.parse("client@vpn.test"))
                .psk(SecretBytes.copyOf(new byte[] {1}))).remoteAddrs(List.of(new GatewayAddress("gw.invalid", 500))).build());
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        assertEquals("UNREACHABLE: cannot resolve the gateway gw.invalid", status().lastError().orElseThrow().toString());
    }

    @Test
    void whenTheTunnelCannotBeBuiltTheSessionIsClosedAndNothingStaysOpen() {
        f.nics.failure = new VnicException("no CAP_NET_ADMIN");
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        ChildSaInfo info = Fakes.child(SPI_IN, SPI_OUT);
        f.engine.last().listener.childSaEstablished(info);
        scheduler.runPending();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertEquals("INTERNAL: cannot set up the tunnel: no CAP_NET_ADMIN", status().lastError().orElseThrow().toString());
        assertTrue(f.engine.last().closed);
        assertTrue(info.keys().in().encryptionKey().isWiped());
        assertTrue(f.dataPath.tunnels.isEmpty());

        f.nics.failure = null;
        f.dataPath.tunnelFailure = new java.io.IOException("no socket");
        scheduler.advance(Duration.ofSeconds(2));
        f.engine.last().listener.childSaEstablished(Fakes.child(SPI_IN, SPI_OUT));
        scheduler.runPending();
        assertTrue(f.nics.last().closed, "the NIC opened for a tunnel that failed is closed again");
    }

    @Test
    void aProfileUpdateRebuildsTheTunnelAndIgnoresTheOldSessionsLateEvents() {
        Fakes.FakeSession old = connect();
        c.profileArrived(profile("chacha20poly1305"));
        assertTrue(old.closed);
        assertTrue(f.nics.last().closed);
        scheduler.runPending();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertEquals(2, f.engine.sessions.size());
        assertEquals(List.of("chacha20poly1305"), f.engine.last().config.espProposals());

        ChildSaInfo late = Fakes.child(0xc0000009, 0xd0000009);
        old.listener.childSaEstablished(late);
        old.listener.ikeSaDeleted(false);
        scheduler.runPending();
        assertTrue(late.keys().in().encryptionKey().isWiped(), "stale keys are wiped, not installed");
        assertEquals(1, f.dataPath.tunnels.size());
        assertEquals(ConnectionState.RECONNECTING, c.state());

        f.engine.last().listener.childSaEstablished(Fakes.child(0xc0000004, 0xd0000004));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED",
                "office RECONNECTING PROFILE_UPDATED", "office CONNECTED ESTABLISHED"), events.events);
    }

    @Test
    void anEqualProfileChangesNothing() {
        Fakes.FakeSession s = connect();
        c.profileArrived(profile());
        scheduler.runPending();
        assertFalse(s.closed);
        assertEquals(1, f.engine.sessions.size());
    }

    @Test
    void losingTheLastChildSaIsDegradedAndRebuildsAfterAGracePeriod() {
        Fakes.FakeSession s = connect();
        s.listener.childSaDeleted(SPI_IN, true);
        scheduler.advance(Duration.ofSeconds(9));
        assertEquals(ConnectionState.DEGRADED, c.state(), "never CONNECTED without a Child SA");
        assertTrue(status().childSas().isEmpty());
        assertTrue(status().degradation().orElseThrow().startsWith("no Child SA is installed"), status().toString());
        assertEquals(1, status().degradations());
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertEquals("PEER_GONE: the gateway deleted the last Child SA", status().lastError().orElseThrow().toString());
        assertTrue(s.closed);
        assertTrue(status().degradation().isEmpty());
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED", "office DEGRADED NO_CHILD_SA",
                "office RECONNECTING PEER_GONE"), events.events);
    }

    @Test
    void aChildSaThatComesBackEndsTheDegradation() {
        Fakes.FakeSession s = connect();
        s.listener.childSaDeleted(SPI_IN, true);
        scheduler.advance(Duration.ofSeconds(2));
        assertEquals(ConnectionState.DEGRADED, c.state());
        s.listener.childSaEstablished(Fakes.child(0xc0000009, 0xd0000009));
        scheduler.advance(Duration.ofSeconds(20));
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(1, f.engine.sessions.size(), "no reconnect");
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED", "office DEGRADED NO_CHILD_SA",
                "office CONNECTED ESTABLISHED"), events.events);
    }

    @Test
    void theGatewayDeletingTheIkeSaReconnects() {
        Fakes.FakeSession s = connect();
        s.listener.childSaDeleted(SPI_IN, true);
        s.listener.ikeSaDeleted(true);
        scheduler.runPending();
        assertEquals(ConnectionState.RECONNECTING, c.state());
        assertEquals("PEER_GONE: the gateway deleted the IKE SA", status().lastError().orElseThrow().toString());
        scheduler.advance(Duration.ofSeconds(20));
        assertEquals(2, f.engine.sessions.size(), "the grace timer of the lost Child SA did not fire a second failure");
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED", "office RECONNECTING PEER_GONE"),
                events.events.subList(0, 3), "the end of the IKE SA is no DEGRADED moment");
    }

    @Test
    void aSoftLifetimeLimitAsksTheEngineToRekey() {
        Fakes.FakeSession s = connect();
        EspTransform transform = new EspTransform() {
            @Override public int spi() { return SPI_OUT; }
            @Override public int childSaId() { return 1; }
            @Override public org.mobilevpn.api.esp.EspCounters counters() { return null; }
            @Override public LifetimeState lifetimeState() { return LifetimeState.SOFT_EXPIRED; }
            @Override public long sequenceNumber() { return 0; }
            @Override public void close() { }
        };
        f.dataPath.last().config.lifetimeListener().softLimitReached(transform, LifetimeLimit.SEQUENCE_NUMBERS);
        scheduler.runPending();
        assertEquals(List.of(SPI_IN), s.rekeyRequests);
    }

    @Test
    void anOperatorsRekeyAsksTheEngineForTheIkeSaOrEveryChildSa() {
        Fakes.FakeSession s = connect();
        s.listener.childSaEstablished(Fakes.child(0xc0000002, 0xd0000002)); // a further Child SA
        scheduler.runPending();
        c.rekeyIkeSa();
        assertEquals(1, s.ikeRekeyRequests);
        assertEquals(List.of(), s.rekeyRequests);
        c.rekeyChildSas();
        assertEquals(List.of(SPI_IN, 0xc0000002), s.rekeyRequests);
        assertEquals(1, s.ikeRekeyRequests);

        s.listener.ikeSaRekeyed(Fakes.ikeSa()); // the engine's outcome, as after a timer's rekey
        scheduler.runPending();
        assertEquals("office REKEYED IKE_SA_REKEYED", events.events.get(events.events.size() - 1));
        assertEquals(ConnectionState.CONNECTED, c.state());
    }

    @Test
    void aRekeyOfAConnectionThatIsNotUpSaysItsState() {
        IllegalStateException disabled = assertThrows(IllegalStateException.class, c::rekeyIkeSa);
        assertEquals("office is DISABLED, not CONNECTED: there is no SA to rekey", disabled.getMessage());
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        Fakes.FakeSession s = f.engine.last();
        s.listener.ikeSaEstablished(Fakes.ikeSa()); // IKE SA there, no Child SA yet
        scheduler.runPending();
        IllegalStateException connecting = assertThrows(IllegalStateException.class, c::rekeyChildSas);
        assertEquals("office is CONNECTING, not CONNECTED: there is no SA to rekey", connecting.getMessage());
        assertEquals(0, s.ikeRekeyRequests);
        assertEquals(List.of(), s.rekeyRequests);
    }

    @Test
    void anAutostartProfileComesUpByItself() {
        Connection auto = new Connection("lab", new ConnectionContext(f.services(), events, log, scheduler, scheduler.clock,
                () -> random, PolicySettings.defaults(), persisted::put));
        auto.profileArrived(VpnProfile.builder(IkeSessionConfig.builder("lab").localId(IkeIdentity.parse("client@vpn.test"))
                .psk(SecretBytes.copyOf(new byte[] {1}))).remoteAddrs(List.of(new GatewayAddress("198.51.100.1", 500)))
                .autostart(true).build());
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTING, auto.state());
        assertEquals(List.of("lab CONNECTING AUTOSTART"), events.events);
        assertEquals(1, f.engine.sessions.size());
    }

    @Test
    void aRemovedProfileTakesTheTunnelDownAndAWantedConnectionSaysWhy() {
        connect();
        c.profileRemoved();
        assertTrue(f.nics.last().closed);
        assertEquals(ConnectionState.FAILED, c.state());
        assertEquals(FailureReason.INVALID_PROFILE, status().lastError().orElseThrow().reason());
        c.profileArrived(profile());
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTING, c.state(), "wanted, so back up when the profile returns");
    }

    @Test
    void shutdownTakesEverythingDownButKeepsTheWish() {
        Fakes.FakeSession s = connect();
        c.shutdown(false);
        assertTrue(s.closed);
        assertTrue(f.nics.last().closed);
        assertTrue(f.dataPath.last().closed);
        assertEquals(ConnectionState.DISABLED, c.state());
        assertTrue(c.wanted());
        assertEquals(Boolean.TRUE, persisted.get("office"));
        assertEquals(0, scheduler.activeTimers());
        assertNull(c.view().tunnel());
    }

    @Test
    void neitherTheLogNorEventsNorStatusEverShowThePskOrKeyBytes() {
        Fakes.FakeSession s = connect();
        s.listener.childSaRekeyed(SPI_IN, Fakes.child(0xc0000002, 0xd0000002));
        s.listener.failed(FailureReason.AUTH_FAILED, "gateway refused our authentication");
        scheduler.advance(Duration.ofSeconds(5));
        String keyHex = HexFormat.of().formatHex(new byte[] {Fakes.KEY_BYTE, Fakes.KEY_BYTE, Fakes.KEY_BYTE, Fakes.KEY_BYTE});
        String everything = String.join("\n", log.lines) + events.messages + status() + c.profile();
        assertFalse(everything.contains(PSK));
        assertFalse(everything.toLowerCase().contains(keyHex));
        assertFalse(everything.contains("ZZZZ")); // 0x5a as text
        assertTrue(log.lines.stream().anyMatch(l -> l.contains("AUTH_FAILED")));
    }

    @Test
    void snapshotsOfAStoppedTunnelReadAsZeroInsteadOfFailing() {
        connect();
        StatusView v = c.view();
        f.dataPath.last().close();
        ChildSaStatus child = v.render(scheduler.clock.instant()).childSas().get(0);
        assertEquals(0, child.bytesIn());
    }

    @Test
    void aFurtherChildSaIsInstalledAndRouted() {
        Fakes.FakeSession s = connect();
        f.ops.clear();
        s.listener.childSaEstablished(Fakes.child(0xc0000005, 0xd0000005, List.of(TrafficSelector.parse("203.0.113.128/25"),
                TrafficSelector.parse("198.51.100.0/25"))));
        scheduler.runPending();
        assertEquals(List.of("install 2 in=c0000005 out=d0000005", "policy 2 rules",
                "nic.reconfigure routes [203.0.113.0/24, 203.0.113.128/25, 198.51.100.0/25]"), f.ops);
        assertEquals(2, status().childSas().size());
        assertEquals(List.of(IpPrefix.parse("203.0.113.0/24"), IpPrefix.parse("203.0.113.128/25"),
                IpPrefix.parse("198.51.100.0/25")), f.nics.last().config.routes());
    }
    @Test
    void theLivenessRoundTripOfTheCurrentSessionIsInTheStatus() {
        Fakes.FakeSession s = connect();
        assertTrue(status().livenessRtt().isEmpty(), "no check answered yet");
        s.listener.livenessChecked(Duration.ofMillis(23));
        scheduler.runPending();
        assertEquals(Duration.ofMillis(23), status().livenessRtt().orElseThrow());
        s.listener.livenessChecked(Duration.ofMillis(31));
        scheduler.runPending();
        assertEquals(Duration.ofMillis(31), status().livenessRtt().orElseThrow(), "the last check counts");

        s.listener.failed(FailureReason.PEER_GONE, "no answer to DPD");
        scheduler.runPending();
        s.listener.livenessChecked(Duration.ofMillis(99)); // a late event of the ended session
        scheduler.runPending();
        assertTrue(status().livenessRtt().isEmpty(), "no tunnel, no round trip");
    }

    @Test
    void theIkeSaSpisAndTimesAreInTheStatus() {
        java.time.Instant start = scheduler.clock.instant();
        connect();
        ConnectionStatus st = status();
        assertEquals(0x1122334455667788L, st.ikeSpiInitiator().getAsLong());
        assertEquals(0x99aabbccddeeff00L, st.ikeSpiResponder().getAsLong());
        assertEquals(start.plusMillis(40), st.ikeEstablished().orElseThrow());
        assertEquals(start.plusMillis(40).plus(Duration.ofHours(4)), st.ikeRekeyBy().orElseThrow(),
                "at the latest rekey_time (default 4 h) after establishment");
        assertEquals(1, st.handshakes());
    }

    @Test
    void handshakesAndReconnectsAreCountedButAProfileUpdateIsNoReconnect() {
        Fakes.FakeSession first = connect();
        first.listener.failed(FailureReason.PEER_GONE, "no answer to DPD");
        scheduler.runPending();
        scheduler.advance(Duration.ofSeconds(1));
        f.engine.last().listener.failed(FailureReason.UNREACHABLE, "no answer"); // a failed attempt in between
        scheduler.runPending();
        scheduler.advance(Duration.ofSeconds(2));
        Fakes.FakeSession third = f.engine.last();
        third.listener.ikeSaEstablished(Fakes.ikeSa());
        third.listener.childSaEstablished(Fakes.child(0xc0000003, 0xd0000003));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        ConnectionStatus st = status();
        assertEquals(1, st.reconnects(), "one failure of an established tunnel, back once");
        assertEquals(2, st.handshakes());

        c.profileArrived(profile("chacha20poly1305"));
        scheduler.runPending();
        f.engine.last().listener.ikeSaEstablished(Fakes.ikeSa());
        f.engine.last().listener.childSaEstablished(Fakes.child(0xc0000004, 0xd0000004));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(1, status().reconnects(), "rebuilt for a new profile, not after a failure");
        assertEquals(3, status().handshakes());
    }

    @Test
    void aRejectedUpdateIsShownWhileTheTunnelStaysUpAndAValidOneClearsIt() {
        Fakes.FakeSession s = connect();
        c.profileInvalid(List.of(new org.mobilevpn.api.profile.ProfileProblem("office", "esp_proposals",
                "unknown algorithm 'aes999'")));
        scheduler.runPending();
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertFalse(s.closed, "the tunnel on the previous version stays");
        String problem = status().profileProblem().orElseThrow();
        assertTrue(problem.contains("esp_proposals") && problem.contains("aes999"), problem);
        c.profileArrived(profile("chacha20poly1305"));
        assertTrue(status().profileProblem().isEmpty());
    }
}
