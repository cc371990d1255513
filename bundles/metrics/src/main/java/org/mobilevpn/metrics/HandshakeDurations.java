package org.mobilevpn.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.mobilevpn.api.policy.ConnectionStatus;

/**
 * The handshake durations of each connection as a Prometheus histogram: buckets from 1 ms to 30 s (a
 * PSK handshake on loopback takes a few ms, one over a slow mobile link with retransmissions seconds).
 *
 * <p>The Policy Manager reports a connection's handshake count and the duration of its last handshake;
 * {@link #observe} compares the count with the one seen last and records the last duration once when it
 * grew. It is called for every CONNECTED event and at every scrape, so each handshake is recorded once;
 * only handshakes that complete in a burst between two looks (faster than events are delivered) count as
 * one. Thread-safe: events and scrapes come from different threads.
 */
final class HandshakeDurations {
    /** Upper bounds of the buckets, in seconds. */
    static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /** One connection's histogram: cumulative bucket counts, all observations and their sum. */
    record Histogram(long[] cumulative, long count, double sumSeconds) {
    }

    private final Map<String, long[]> buckets = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Double> sums = new LinkedHashMap<>();
    private final Map<String, Long> handshakesSeen = new LinkedHashMap<>();

    /** Records the last handshake of a connection if it completed since the last look. */
    synchronized void observe(ConnectionStatus s) {
        long seen = handshakesSeen.getOrDefault(s.name(), 0L);
        if (s.handshakes() > seen && s.handshakeDuration().isPresent()) {
            record(s.name(), s.handshakeDuration().get());
        }
        handshakesSeen.put(s.name(), Math.max(seen, s.handshakes()));
    }

    /** Forgets connections that no longer exist (a deleted profile). */
    synchronized void retain(Set<String> names) {
        buckets.keySet().retainAll(names);
        counts.keySet().retainAll(names);
        sums.keySet().retainAll(names);
        handshakesSeen.keySet().retainAll(names);
    }

    /** The histogram of a connection, or null before its first recorded handshake. */
    synchronized Histogram histogram(String name) {
        long[] b = buckets.get(name);
        return b == null ? null : new Histogram(b.clone(), counts.get(name), sums.get(name));
    }

    /** Observes every status and forgets the connections not among them. */
    void observeAll(List<ConnectionStatus> statuses) {
        statuses.forEach(this::observe);
        retain(statuses.stream().map(ConnectionStatus::name).collect(Collectors.toSet()));
    }

    private void record(String name, Duration d) {
        double seconds = d.toNanos() / 1e9;
        long[] b = buckets.computeIfAbsent(name, n -> new long[BOUNDS.length]);
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                b[i]++;
            }
        }
        counts.merge(name, 1L, Long::sum);
        sums.merge(name, seconds, Double::sum);
    }
}
