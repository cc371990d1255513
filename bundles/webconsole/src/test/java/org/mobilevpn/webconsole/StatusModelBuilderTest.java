package org.mobilevpn.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.policy.ConnectionEvent;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.testsupport.FakeVpnManager;
import org.mobilevpn.testsupport.Statuses;

class StatusModelBuilderTest {
    private final FakeVpnManager manager = new FakeVpnManager();
    private final StatusModelBuilder builder = new StatusModelBuilder(new ThroughputMeter(Duration.ofSeconds(1)));

    @Test
    void aConnectedConnectionShowsWhatTheManagerReported() {
        Instant now = Statuses.T0.plusSeconds(3723);
        manager.statuses = List.of(Statuses.connected("office", now,
                Statuses.childSa(0xc1a2b3d4, 0x0000abcd, 1000, 2000, now.plusSeconds(600))));

        ConnectionView c = builder.build(now, manager, null, null).connections().get(0);

        assertEquals("office", c.name());
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals("198.51.100.1:4500", c.gateway());
        assertEquals(List.of("198.18.0.5"), c.virtualIps());
        assertTrue(c.natDetected());
        assertEquals(Duration.ofSeconds(3723), c.uptime());
        assertEquals(Duration.ofSeconds(600), c.nextRekey(), "the Child SA rekeys before the IKE SA");
        assertEquals("0123456789abcdef_i fedcba9876543210_r", c.ikeSa().spis());
        assertEquals(Duration.ofHours(4).minusSeconds(3723), c.ikeSa().nextRekey());
        assertEquals(2, c.ikeSa().handshakes());
        assertEquals(1, c.ikeSa().reconnects());
        assertEquals(Duration.ofMillis(3), c.ikeSa().livenessRtt());
        assertEquals(Map.of("UNKNOWN_SPI", 7L), c.drops());
        ChildSaView sa = c.childSas().get(0);
        assertEquals("c1a2b3d4", sa.spiIn());
        assertEquals("0000abcd", sa.spiOut());
        assertEquals("AES_GCM_16-256", sa.algorithms());
        assertEquals(Map.of("REPLAY", 3L, "ICV_FAIL", 1L), sa.drops());
        assertEquals("UNREACHABLE", c.lastError().reason());
        assertEquals("the gateway did not answer: no answer from 198.51.100.1 after 5 retransmissions",
                c.lastError().text());
    }

    @Test
    void theIkeRekeyCountsWhenItComesFirst() {
        Instant now = Statuses.T0.plus(Duration.ofHours(4)).minusSeconds(30);
        manager.statuses = List.of(Statuses.connected("office", now,
                Statuses.childSa(1, 2, 0, 0, now.plusSeconds(600))));

        assertEquals(Duration.ofSeconds(30), builder.build(now, manager, null, null).connections().get(0).nextRekey());
    }

    @Test
    void throughputIsTheCounterDeltaOverTheTimeBetweenSamples() {
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0, Statuses.childSa(1, 2, 10_000, 5_000, Statuses.T0.plusSeconds(600))));
        assertFalse(builder.build(Statuses.T0, manager, null, null).connections().get(0).throughput().known(),
                "nothing to compare the first sample with");

        Instant later = Statuses.T0.plusSeconds(2);
        manager.statuses = List.of(Statuses.connected("office", later, Statuses.childSa(1, 2, 12_000, 5_500, Statuses.T0.plusSeconds(600))));
        Throughput t = builder.build(later, manager, null, null).connections().get(0).throughput();

        assertEquals(8_000.0, t.inBitsPerSecond(), 1e-9, "2000 bytes in 2 s");
        assertEquals(2_000.0, t.outBitsPerSecond(), 1e-9, "500 bytes in 2 s");
    }

    @Test
    void aRekeyedSaWithFreshCountersGivesNoNegativeRate() {
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0, Statuses.childSa(1, 2, 1_000_000, 1_000_000, Statuses.T0.plusSeconds(1))));
        builder.build(Statuses.T0, manager, null, null);

        Instant later = Statuses.T0.plusSeconds(4);
        // the old SA (SPI 1) is gone, its successor (SPI 3) started at zero and carried 4000 bytes each way
        manager.statuses = List.of(Statuses.connected("office", later, Statuses.childSa(3, 4, 4_000, 4_000, later.plusSeconds(600))));
        Throughput t = builder.build(later, manager, null, null).connections().get(0).throughput();

        assertEquals(8_000.0, t.inBitsPerSecond(), 1e-9);
        assertEquals(8_000.0, t.outBitsPerSecond(), 1e-9);
    }

    @Test
    void aSecondClientRefreshingAtOnceGetsTheSameRateNotADivisionByAnInstant() {
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0, Statuses.childSa(1, 2, 0, 0, Statuses.T0.plusSeconds(600))));
        builder.build(Statuses.T0, manager, null, null);
        Instant t1 = Statuses.T0.plusSeconds(2);
        manager.statuses = List.of(Statuses.connected("office", t1, Statuses.childSa(1, 2, 2_000, 0, Statuses.T0.plusSeconds(600))));
        Throughput first = builder.build(t1, manager, null, null).connections().get(0).throughput();

        Instant t2 = t1.plusMillis(10);
        manager.statuses = List.of(Statuses.connected("office", t2, Statuses.childSa(1, 2, 2_100, 0, Statuses.T0.plusSeconds(600))));
        Throughput second = builder.build(t2, manager, null, null).connections().get(0).throughput();

        assertEquals(first, second);
    }

    @Test
    void withoutTheManagerTheSnapshotSaysSo() {
        StatusSnapshot s = builder.build(Statuses.T0, null, null, null);
        assertFalse(s.managerAvailable());
        assertTrue(s.connections().isEmpty());
        assertFalse(s.eventsAvailable());
    }

    @Test
    void aFailingManagerIsReportedNotThrown() {
        manager.failure = new IllegalStateException("service unregistered");
        StatusSnapshot s = builder.build(Statuses.T0, manager, null, null);
        assertFalse(s.managerAvailable());
        assertTrue(s.managerProblem().contains("service unregistered"), s.managerProblem());
    }

    @Test
    void eventsComeNewestFirstInWords() {
        List<ConnectionEvent> log = List.of(
                new ConnectionEvent(Statuses.T0, VpnManager.TOPIC_PREFIX + "CONNECTING", "office", ConnectionState.CONNECTING,
                        ConnectionState.DISABLED, VpnManager.REASON_REQUESTED, ""),
                new ConnectionEvent(Statuses.T0.plusSeconds(5), VpnManager.TOPIC_PREFIX + "RECONNECTING", "office",
                        ConnectionState.RECONNECTING, ConnectionState.CONNECTING, FailureReason.UNREACHABLE.name(), "no answer"),
                new ConnectionEvent(Statuses.T0.plusSeconds(9), VpnManager.TOPIC_REKEYED, "office", ConnectionState.CONNECTED,
                        null, VpnManager.REASON_CHILD_SA_REKEYED, ""));

        List<EventView> events = builder.build(Statuses.T0, manager, null, log).events();

        assertEquals(3, events.size());
        assertEquals("REKEYED", events.get(0).kind());
        assertEquals("CONNECTING -> RECONNECTING", events.get(1).kind());
        assertEquals("UNREACHABLE (the gateway did not answer): no answer", events.get(1).text());
        assertEquals("DISABLED -> CONNECTING", events.get(2).kind());
        assertEquals("REQUESTED", events.get(2).text());
    }

    @Test
    void aDisabledConnectionHasNoTunnelValues() {
        manager.statuses = List.of(Statuses.disabled("home"));
        ConnectionView c = builder.build(Statuses.T0, manager, null, null).connections().get(0);
        assertNull(c.gateway());
        assertNull(c.nextRekey());
        assertNull(c.ikeSa().spis());
        assertEquals(Duration.ZERO, c.uptime());
    }
}
