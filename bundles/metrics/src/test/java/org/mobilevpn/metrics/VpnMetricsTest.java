package org.mobilevpn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.testsupport.Statuses;

class VpnMetricsTest {
    private final HandshakeDurations durations = new HandshakeDurations();

    private static double value(List<ExpositionFormatChecker.Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels)).value();
    }

    @Test
    void theStatusBecomesWellFormedMetricsWithTheCountersOfEachSa() {
        Instant now = Statuses.T0.plusSeconds(100);
        List<ConnectionStatus> statuses = List.of(
                Statuses.connected("office", now, Statuses.childSa(0xc1a2b3d4, 0x0000abcd, 123_456, 654_321, now.plusSeconds(50)))
                        .toBuilder().moves(3).moveOutage(java.time.Duration.ofMillis(1250)).build(),
                Statuses.disabled("home"),
                ConnectionStatus.builder("lab").state(ConnectionState.RECONNECTING).build());
        durations.observeAll(statuses);

        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(VpnMetrics.text(true, statuses, durations, now));

        assertEquals(1.0, value(samples, "mobilevpn_connections", Map.of("state", "CONNECTED")));
        assertEquals(1.0, value(samples, "mobilevpn_connections", Map.of("state", "DISABLED")));
        assertEquals(1.0, value(samples, "mobilevpn_connections", Map.of("state", "RECONNECTING")));
        assertEquals(0.0, value(samples, "mobilevpn_connections", Map.of("state", "FAILED")));
        assertEquals(123_456.0, value(samples, "mobilevpn_sa_bytes_total",
                Map.of("connection", "office", "spi", "c1a2b3d4", "direction", "in")));
        assertEquals(654_321.0, value(samples, "mobilevpn_sa_bytes_total",
                Map.of("connection", "office", "spi", "0000abcd", "direction", "out")));
        assertEquals(1234.0, value(samples, "mobilevpn_sa_packets_total",
                Map.of("connection", "office", "spi", "c1a2b3d4", "direction", "in")));
        assertEquals(3.0, value(samples, "mobilevpn_sa_drops_total",
                Map.of("connection", "office", "spi", "c1a2b3d4", "reason", "REPLAY")));
        assertEquals(7.0, value(samples, "mobilevpn_drops_total", Map.of("connection", "office", "reason", "UNKNOWN_SPI")));
        assertEquals(2.0, value(samples, "mobilevpn_handshakes_total", Map.of("connection", "office")));
        assertEquals(1.0, value(samples, "mobilevpn_reconnects_total", Map.of("connection", "office")));
        assertEquals(0.0, value(samples, "mobilevpn_degradations_total", Map.of("connection", "office")));
        assertEquals(3.0, value(samples, "mobilevpn_moves_total", Map.of("connection", "office")));
        assertEquals(1.25, value(samples, "mobilevpn_move_outage_seconds_total", Map.of("connection", "office")));
        assertEquals(0.0, value(samples, "mobilevpn_connections", Map.of("state", "DEGRADED")));
        assertEquals(1.0, value(samples, "mobilevpn_handshake_duration_seconds_count", Map.of("connection", "office")));
        assertEquals(0.042, value(samples, "mobilevpn_handshake_duration_seconds_sum", Map.of("connection", "office")), 1e-12);
        assertEquals(1.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "0.05")));
        assertEquals(0.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "0.025")));
        assertEquals(50.0, value(samples, "mobilevpn_next_rekey_seconds", Map.of("connection", "office")));
        assertEquals(0.003, value(samples, "mobilevpn_liveness_rtt_seconds", Map.of("connection", "office")), 1e-12);
        assertEquals(100.0, value(samples, "mobilevpn_connection_uptime_seconds", Map.of("connection", "office")));
        assertEquals(1.0, value(samples, "mobilevpn_policy_manager_up", Map.of()));

        Set<String> names = new HashSet<>();
        samples.forEach(s -> names.add(s.name()));
        names.forEach(n -> assertTrue(n.startsWith("mobilevpn_"), n));
    }

    @Test
    void aDegradedConnectionCountsAsDegradedNotConnectedAndItsDegradationsAreCounted() {
        Instant now = Statuses.T0.plusSeconds(100);
        ConnectionStatus office = Statuses.connected("office", now, Statuses.childSa(1, 2, 10, 20, now.plusSeconds(50)));
        List<ConnectionStatus> statuses = List.of(office.toBuilder().state(ConnectionState.DEGRADED).degradations(3)
                .degradation("packets out, none in").takenAt(now).build());

        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(
                VpnMetrics.text(true, statuses, durations, now));

        assertEquals(1.0, value(samples, "mobilevpn_connections", Map.of("state", "DEGRADED")));
        assertEquals(0.0, value(samples, "mobilevpn_connections", Map.of("state", "CONNECTED")));
        assertEquals(1.0, value(samples, "mobilevpn_connection_state", Map.of("connection", "office", "state", "DEGRADED")));
        assertEquals(3.0, value(samples, "mobilevpn_degradations_total", Map.of("connection", "office")));
        assertEquals(100.0, value(samples, "mobilevpn_connection_uptime_seconds", Map.of("connection", "office")),
                "established, if not carrying traffic");
    }

    @Test
    void aConnectionNameWithQuotesAndNewlinesStaysOneLabelValue() {
        String name = "of\"fi\nce\\";
        List<ConnectionStatus> statuses = List.of(Statuses.connected(name, Statuses.T0,
                Statuses.childSa(1, 2, 10, 20, Statuses.T0.plusSeconds(5))));

        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(
                VpnMetrics.text(true, statuses, durations, Statuses.T0));

        assertEquals(10.0, value(samples, "mobilevpn_sa_bytes_total", Map.of("connection", name, "spi", "00000001", "direction", "in")));
    }

    @Test
    void withoutTheManagerTheMetricsSaySo() {
        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(
                VpnMetrics.text(false, List.of(), durations, Statuses.T0));
        assertEquals(0.0, value(samples, "mobilevpn_policy_manager_up", Map.of()));
        assertFalse(samples.stream().anyMatch(s -> s.name().equals("mobilevpn_sa_bytes_total")));
    }
}
