package org.mobilevpn.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.policy.ConnectionStatus;

/**
 * The Policy Manager's status as Prometheus metrics, all named {@code mobilevpn_*}: connections by
 * state (DEGRADED among them), bytes and packets per SA (labels connection, spi, direction), drops by reason
 * (per SA and outside any SA), handshakes and a histogram of their durations, reconnects, degradations,
 * liveness round trip, uptime.
 * Counters are the data path's and the Policy Manager's own (since the runtime started): Prometheus
 * derives rates.
 */
final class VpnMetrics {

    private VpnMetrics() {
    }

    /**
     * @param managerAvailable whether the Policy Manager answered
     * @param connections      its connections (empty when it did not answer)
     * @param durations        the handshake histograms
     * @param now              for the time until the next rekey
     */
    static String text(boolean managerAvailable, List<ConnectionStatus> connections, HandshakeDurations durations,
            Instant now) {
        PrometheusWriter w = new PrometheusWriter();
        w.family("mobilevpn_policy_manager_up", "gauge", "1 when the Policy Manager (VpnManager service) answered, else 0")
                .sample(managerAvailable ? 1 : 0);

        Map<ConnectionState, Integer> byState = new EnumMap<>(ConnectionState.class);
        for (ConnectionState state : ConnectionState.values()) {
            byState.put(state, 0);
        }
        connections.forEach(c -> byState.merge(c.state(), 1, Integer::sum));
        w.family("mobilevpn_connections", "gauge", "Connections by state");
        byState.forEach((state, n) -> w.sample(n, "state", state.name()));

        w.family("mobilevpn_connection_state", "gauge", "1 for the current state of each connection");
        connections.forEach(c -> w.sample(1, "connection", c.name(), "state", c.state().name()));

        w.family("mobilevpn_connection_uptime_seconds", "gauge", "Time the connection has been established (CONNECTED or DEGRADED); 0 when it is not");
        connections.forEach(c -> w.sample(c.uptime().toSeconds(), "connection", c.name()));

        w.family("mobilevpn_connection_failed_attempts", "gauge", "Failed attempts since the connection was last up");
        connections.forEach(c -> w.sample(c.failedAttempts(), "connection", c.name()));

        w.family("mobilevpn_reconnects_total", "counter", "Re-establishments after a failure since the runtime started");
        connections.forEach(c -> w.sample(c.reconnects(), "connection", c.name()));

        w.family("mobilevpn_moves_total", "counter", "Times the IKE SA followed the device to another uplink or address"
                + " (MOBIKE) since the runtime started");
        connections.forEach(c -> w.sample(c.moves(), "connection", c.name()));

        w.family("mobilevpn_move_outage_seconds_total", "counter", "Time the moves took together, each from the loss of"
                + " the path in use to the gateway's confirmation of the new one, since the runtime started");
        connections.forEach(c -> w.sample(c.moveOutage().toMillis() / 1000.0, "connection", c.name()));

        w.family("mobilevpn_degradations_total", "counter", "Times the connection went from CONNECTED to DEGRADED (traffic"
                + " out got no answer on a Child SA for dpd_delay, or no Child SA) since the runtime started");
        connections.forEach(c -> w.sample(c.degradations(), "connection", c.name()));

        w.family("mobilevpn_handshakes_total", "counter", "Completed IKE handshakes (IKE_AUTH) since the runtime started");
        connections.forEach(c -> w.sample(c.handshakes(), "connection", c.name()));

        w.family("mobilevpn_handshake_duration_seconds", "histogram",
                "Handshake durations, first IKE_SA_INIT request to the installed first Child SA");
        connections.forEach(c -> {
            HandshakeDurations.Histogram h = durations.histogram(c.name());
            if (h != null) {
                w.histogram(HandshakeDurations.BOUNDS, h.cumulative(), h.count(), h.sumSeconds(), "connection", c.name());
            }
        });

        w.family("mobilevpn_liveness_rtt_seconds", "gauge", "Round trip of the last answered liveness check (RFC 7296 2.4)");
        connections.forEach(c -> seconds(w, c.livenessRtt().orElse(null), "connection", c.name()));

        w.family("mobilevpn_next_rekey_seconds", "gauge", "Time until the earliest scheduled rekey (IKE SA or Child SA)");
        connections.forEach(c -> seconds(w, nextRekey(c, now), "connection", c.name()));

        w.family("mobilevpn_child_sas", "gauge", "Installed Child SAs");
        connections.forEach(c -> w.sample(c.childSas().size(), "connection", c.name()));

        w.family("mobilevpn_sa_bytes_total", "counter",
                "Inner bytes per SA; spi is the SA's own SPI: ours for direction in, the gateway's for out");
        connections.forEach(c -> c.childSas().forEach(sa -> {
            w.sample(sa.bytesIn(), "connection", c.name(), "spi", spi(sa.spiIn()), "direction", "in");
            w.sample(sa.bytesOut(), "connection", c.name(), "spi", spi(sa.spiOut()), "direction", "out");
        }));

        w.family("mobilevpn_sa_packets_total", "counter", "Packets per SA; spi as for mobilevpn_sa_bytes_total");
        connections.forEach(c -> c.childSas().forEach(sa -> {
            w.sample(sa.packetsIn(), "connection", c.name(), "spi", spi(sa.spiIn()), "direction", "in");
            w.sample(sa.packetsOut(), "connection", c.name(), "spi", spi(sa.spiOut()), "direction", "out");
        }));

        w.family("mobilevpn_sa_drops_total", "counter",
                "Packets of a Child SA not delivered, by ESP outcome (replay, ICV failure, ...); spi is our inbound SPI");
        connections.forEach(c -> c.childSas().forEach(sa -> sa.drops().forEach((reason, n) ->
                w.sample(n, "connection", c.name(), "spi", spi(sa.spiIn()), "reason", reason.name()))));

        w.family("mobilevpn_drops_total", "counter", "Packets of a connection the data path dropped outside any SA, by reason");
        connections.forEach(c -> c.drops().forEach((reason, n) -> w.sample(n, "connection", c.name(), "reason", reason.name())));
        return w.text();
    }

    /** An ESP SPI as strongSwan prints it: 8 hex digits. */
    static String spi(int spi) {
        return String.format("%08x", spi);
    }

    /** Time from now until the earliest scheduled rekey (IKE SA or a Child SA), zero if it is due; null if none. */
    private static Duration nextRekey(ConnectionStatus c, Instant now) {
        Instant earliest = c.ikeRekeyBy().orElse(null);
        for (ChildSaStatus sa : c.childSas()) {
            earliest = earliest == null || sa.nextRekey().isBefore(earliest) ? sa.nextRekey() : earliest;
        }
        return earliest == null ? null : earliest.isAfter(now) ? Duration.between(now, earliest) : Duration.ZERO;
    }

    private static void seconds(PrometheusWriter w, Duration d, String... labels) {
        if (d != null) {
            w.sample(d.toNanos() / 1e9, labels);
        }
    }
}
