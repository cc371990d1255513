package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.TestLogger;

/**
 * A connection whose Child SA carries packets out and none back while the IKE SA answers: DEGRADED, then
 * repaired by a new Child SA or a new IKE SA, on virtual time with the data path's counters scripted.
 */
class ConnectionStallTest {
    static final int SPI_IN = ConnectionTest.SPI_IN;
    static final int SPI_OUT = ConnectionTest.SPI_OUT;
    static final Duration DPD = Duration.ofSeconds(4);

    final Fakes f = Fakes.create();
    final ManualScheduler scheduler = new ManualScheduler();
    final Fakes.RecordingEvents events = new Fakes.RecordingEvents();
    final TestLogger log = new TestLogger();
    /** Packets the fake data path counted, by SPI (ours inbound, the gateway's outbound: never the same here). */
    final Map<Integer, Long> packets = new HashMap<>();
    final Set<Fakes.FakeSession> established = new HashSet<>();
    int nextSpi = 0x100;
    Connection c;

    Connection connection(boolean childSaLiveness, VpnProfile profile) {
        Connection conn = new Connection("office", new ConnectionContext(f.services(), events, log, scheduler,
                scheduler.clock, () -> 0.5, new PolicySettings(1500, true, Duration.ofSeconds(1), Duration.ofMinutes(2),
                        0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), childSaLiveness), (n, w) -> { }));
        conn.profileArrived(profile);
        return conn;
    }

    Fakes.FakeSession connect(boolean childSaLiveness, VpnProfile profile) {
        c = connection(childSaLiveness, profile);
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        Fakes.FakeSession s = f.engine.last();
        s.listener.ikeSaEstablished(Fakes.ikeSa());
        s.listener.childSaEstablished(Fakes.child(SPI_IN, SPI_OUT));
        scheduler.runPending();
        established.add(s);
        return s;
    }

    Fakes.FakeSession connect() {
        return connect(true, withDpd(DPD));
    }

    /**
     * One second of traffic on the newest tunnel's current SA pair, then the clock moves a second: a packet
     * out if {@code sending}, one in if {@code answered}.
     */
    void second(boolean sending, boolean answered) {
        Fakes.FakeTunnel t = f.dataPath.last();
        EspSa in = last(t, SaDirection.INBOUND);
        EspSa out = last(t, SaDirection.OUTBOUND);
        if (sending) {
            packets.merge(out.spi(), 1L, Long::sum);
        }
        if (answered) {
            packets.merge(in.spi(), 1L, Long::sum);
        }
        List<SaCounters> sas = new ArrayList<>();
        for (EspSa sa : t.installed) {
            long n = packets.getOrDefault(sa.spi(), 0L);
            sas.add(new SaCounters(sa.childSaId(), sa.spi(), sa.direction(), n, n * 84, Map.of(), n, LifetimeState.ACTIVE));
        }
        t.counters = new DataPathCounters(sas, Map.of(), 0, 0, 0, 0, 0, 0);
        scheduler.advance(Duration.ofSeconds(1));
    }

    /** Plays the engine: a new session gets its IKE SA and Child SA, a requested rekey its new Child SA. */
    void engineAnswers() {
        Fakes.FakeSession s = f.engine.last();
        if (s.closed) {
            return;
        }
        if (established.add(s)) {
            s.listener.ikeSaEstablished(Fakes.ikeSa());
            s.listener.childSaEstablished(Fakes.child(0xc0000000 + nextSpi, 0xd0000000 + nextSpi));
            nextSpi++;
        }
        while (!s.rekeyRequests.isEmpty()) {
            int old = s.rekeyRequests.remove(0);
            s.listener.childSaRekeyed(old, Fakes.child(0xc0000000 + nextSpi, 0xd0000000 + nextSpi));
            nextSpi++;
        }
        scheduler.runPending();
    }

    static EspSa last(Fakes.FakeTunnel t, SaDirection direction) {
        EspSa found = null;
        for (EspSa sa : t.installed) {
            if (sa.direction() == direction) {
                found = sa;
            }
        }
        return found;
    }

    ConnectionStatus status() {
        return c.view().render(scheduler.clock.instant());
    }

    @Test
    void packetsWithoutAnswersAreDegradedWithinTheWindowAndANewChildSaRepairsThem() {
        Fakes.FakeSession s = connect();
        for (int i = 0; i < 5; i++) {
            second(true, true);
        }
        assertEquals(ConnectionState.CONNECTED, c.state());

        Instant firstUnanswered = scheduler.clock.instant();
        while (c.state() == ConnectionState.CONNECTED) {
            second(true, false);
            assertTrue(Duration.between(firstUnanswered, scheduler.clock.instant()).compareTo(DPD.plusSeconds(2)) <= 0,
                    "DEGRADED within dpd_delay and two samples");
        }
        assertTrue(Duration.between(firstUnanswered, scheduler.clock.instant()).compareTo(DPD) >= 0,
                "not before dpd_delay");
        assertEquals(ConnectionState.DEGRADED, c.state());
        assertEquals(List.of(SPI_IN), s.rekeyRequests, "a new Child SA first");
        ConnectionStatus st = status();
        assertEquals(1, st.degradations());
        String why = st.degradation().orElseThrow();
        assertTrue(why.contains("on Child SA c0000001_i d0000001_o and none in for") && why.endsWith("a new Child SA replaces it"), why);
        assertTrue(st.uptime().compareTo(Duration.ofSeconds(9)) >= 0, "still established: " + st.uptime());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("WARN office: ") && l.contains("rekeying the Child SA")),
                log.lines.toString());

        engineAnswers(); // the gateway agrees to the new Child SA; the broken one is replaced
        second(true, false); // in flight while the new SA starts
        assertEquals(ConnectionState.DEGRADED, c.state(), "not CONNECTED before a packet has come back");
        second(true, true);
        second(true, true);
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED", "office DEGRADED TRAFFIC_STALLED",
                "office REKEYED CHILD_SA_REKEYED", "office CONNECTED TRAFFIC_FLOWS"), events.events);
        assertEquals(List.of(ConnectionState.DEGRADED), events.rekeyStates, "a rekey while DEGRADED says so");
        assertEquals(1, f.engine.sessions.size(), "no reconnect was needed");
        assertTrue(status().degradation().isEmpty());
        for (int i = 0; i < 60; i++) {
            second(true, true);
        }
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(1, status().degradations());
    }

    @Test
    void whenANewChildSaDoesNotHelpANewIkeSaDoesAndTheStateIsNeverConnectedMeanwhile() {
        connect();
        second(true, true);
        second(true, true);
        int seconds = 0;
        boolean degraded = false;
        while (f.engine.sessions.size() == 1) {
            second(true, false);
            engineAnswers();
            degraded |= c.state() == ConnectionState.DEGRADED;
            if (degraded) {
                assertNotEquals(ConnectionState.CONNECTED, c.state(), "after " + seconds + " s of unanswered packets");
            }
            assertTrue(++seconds < 20, "no reconnect after " + seconds + " s");
        }
        assertTrue(seconds >= 2 * DPD.toSeconds(), "a new Child SA was given dpd_delay first: " + seconds + " s");
        ConnectionStatus failed = status();
        assertEquals(FailureReason.TRAFFIC_STALLED, failed.lastError().orElseThrow().reason());
        assertTrue(failed.lastError().orElseThrow().message().contains("also after a new Child SA; reconnecting with a new IKE SA"),
                failed.lastError().toString());

        for (int i = 0; i < 10; i++) { // the new IKE SA's tunnel: packets still go unanswered for a while
            engineAnswers();
            second(true, false);
            assertNotEquals(ConnectionState.CONNECTED, c.state(), "the new tunnel has not shown that traffic flows");
        }
        assertEquals(ConnectionState.DEGRADED, c.state());
        second(true, true);
        second(true, true);
        assertEquals(ConnectionState.CONNECTED, c.state());
        List<String> kinds = events.events;
        assertEquals(List.of("office CONNECTING REQUESTED", "office CONNECTED ESTABLISHED", "office DEGRADED TRAFFIC_STALLED",
                "office REKEYED CHILD_SA_REKEYED", "office RECONNECTING TRAFFIC_STALLED", "office DEGRADED TRAFFIC_STALLED"),
                kinds.subList(0, 6));
        assertEquals("office CONNECTED TRAFFIC_FLOWS", kinds.get(kinds.size() - 1));
        assertEquals(1, status().reconnects());
        assertEquals(1, status().degradations(), "one degradation, repaired in two steps");
    }

    @Test
    void aStallNothingRepairsCostsAReconnectNoMoreThanOnceEachHoldOffWhichDoublesToHalfAnHour() {
        connect();
        List<Instant> reconnects = new ArrayList<>();
        int sessions = 1;
        for (int i = 0; i < 4 * 3600; i++) { // four hours of packets that never get an answer
            second(true, false);
            engineAnswers();
            if (i > DPD.toSeconds() + 2) {
                assertNotEquals(ConnectionState.CONNECTED, c.state(), "after " + i + " s");
            }
            if (f.engine.sessions.size() != sessions) {
                sessions = f.engine.sessions.size();
                reconnects.add(scheduler.clock.instant());
            }
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < reconnects.size(); i++) {
            gaps.add(Duration.between(reconnects.get(i - 1), reconnects.get(i)).toSeconds());
        }
        assertTrue(reconnects.size() >= 10 && reconnects.size() <= 16,
                reconnects.size() + " reconnects, first gaps " + gaps.subList(0, Math.min(20, gaps.size())));
        for (int i = 1; i < gaps.size(); i++) {
            assertTrue(gaps.get(i) >= gaps.get(i - 1) - 2, "growing gaps: " + gaps);
        }
        long longest = gaps.get(gaps.size() - 1);
        assertTrue(longest >= 1800 && longest <= 1800 + 3 * DPD.toSeconds() + 4, "the cap is half an hour: " + gaps);
    }

    @Test
    void aQuietTunnelAndOneUnansweredBurstAreNotDegraded() {
        Fakes.FakeSession s = connect();
        for (int i = 0; i < 600; i++) {
            second(false, false);
        }
        packets.merge(SPI_OUT, 5L, Long::sum); // e.g. one DNS query and its retries at once, to a server that is down
        for (int i = 0; i < 600; i++) {
            second(false, false);
        }
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(List.of(), s.rekeyRequests);
        assertEquals(0, status().degradations());
    }

    @Test
    void withChildSaLivenessOffOrDpdDelayZeroNothingIsWatched() {
        for (VpnProfile profile : List.of(withDpd(DPD),
                withDpd(Duration.ZERO))) {
            boolean liveness = profile.ike().dpdDelay().isZero();
            Fakes.FakeSession s = connect(liveness, profile);
            for (int i = 0; i < 120; i++) {
                second(true, false);
            }
            assertEquals(ConnectionState.CONNECTED, c.state(), profile.toString());
            assertEquals(List.of(), s.rekeyRequests);
            c.down(VpnManager.REASON_REQUESTED);
            scheduler.advance(Duration.ofSeconds(10));
        }
    }

    @Test
    void takingTheConnectionDownForgetsTheStall() {
        connect();
        for (int i = 0; i < 8; i++) {
            second(true, false);
        }
        assertEquals(ConnectionState.DEGRADED, c.state());
        c.down(VpnManager.REASON_REQUESTED);
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(ConnectionState.DISABLED, c.state());
        assertEquals(0, scheduler.activeTimers(), "no health check left behind");
        c.up(VpnManager.REASON_REQUESTED);
        scheduler.runPending();
        engineAnswers();
        assertEquals(ConnectionState.CONNECTED, c.state(), "a new start is trusted as usual");
    }

    private static VpnProfile withDpd(Duration dpd) {
        VpnProfile.Builder b = ConnectionTest.profileBuilder();
        b.ike().dpdDelay(dpd);
        return b.build();
    }
}
