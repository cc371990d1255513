package org.mobilevpn.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.SaDirection;

/**
 * Child SA liveness: do packets that leave on a Child SA get anything back on it? IKEv2 checks only that the
 * IKE SA is alive (RFC 7296 §2.4); an IKE SA that answers says nothing about its Child SAs. The gateway may
 * have lost or replaced the SA, or something on the way drops ESP-in-UDP (RFC 3948) while IKE on the same
 * port passes. So this reads the data path's per-SA packet counters, which exist for the status anyway, on
 * the policy thread every {@link #sampleInterval}. Nothing is added to the packet path.
 *
 * <p>The signal: a Child SA is <em>stalled</em> when its outbound packet count rose at two or more samples
 * while the inbound count of that Child SA did not rise, and at least the window ({@code dpd_delay}) has
 * passed since the first of those unanswered outbound packets was seen. The inbound count covers all its
 * inbound SAs, including one a rekey retired. Two cases are not stalls:
 * <ul>
 * <li>a quiet tunnel: nothing goes out, so there is nothing to judge;
 * <li>one unanswered packet or burst seen at a single sample, e.g. one DNS query to a dead server.
 * </ul>
 * A flow that keeps sending without an answer for the whole window is a stall: pings, TCP retransmissions
 * or DNS retries toward a host behind a broken Child SA.
 *
 * <p>The signal cannot tell one case apart from a broken Child SA: a healthy Child SA that carries only
 * one-way traffic (UDP to a host that never answers, syslog, a stream whose return path is elsewhere).
 * Almost everything through a remote-access tunnel is answered: TCP acknowledges, DNS and ICMP reply. So the
 * choice here is to count a one-way flow as a stall too, because an honest DEGRADED beats a CONNECTED that
 * may be false. {@link StallRepair} bounds what follows: after a repair that did not help, it waits
 * longer each time (doubling up to 30 minutes). The policy setting {@code child.sa.liveness = false} turns
 * the check off for a deployment whose tunnels carry one-way traffic on purpose.
 *
 * <p>Not thread-safe: used on the policy thread only.
 */
final class ChildSaLiveness {

    /**
     * What one sample showed.
     *
     * @param stall        the Child SA that has been silent longest while sending, or {@code null}
     * @param inboundRose  packets arrived on some Child SA since the previous sample
     */
    record Observation(Stall stall, boolean inboundRose) {
    }

    /**
     * A Child SA whose packets get no answer.
     *
     * @param childSaId   the data path's id of the Child SA
     * @param packetsOut  packets it sent since the first unanswered one
     * @param silentFor   time since the first unanswered packet was seen (at least the window)
     */
    record Stall(int childSaId, long packetsOut, Duration silentFor) {
    }

    /** Per Child SA: the unanswered outbound packets since its inbound count last rose. */
    private static final class Track {
        Instant firstUnanswered;
        int unansweredSamples;
        long unansweredPackets;

        void answered() {
            firstUnanswered = null;
            unansweredSamples = 0;
            unansweredPackets = 0;
        }
    }

    private final Duration window;
    /** The packet count of each SA at the previous sample, by {@link #key}. */
    private final Map<Long, Long> lastPackets = new HashMap<>();
    private final Map<Integer, Track> children = new HashMap<>();
    private boolean primed;

    /** @param window how long outbound packets may go unanswered: the profile's {@code dpd_delay} (positive) */
    ChildSaLiveness(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive: " + window);
        }
        this.window = window;
    }

    Duration window() {
        return window;
    }

    /**
     * How often to sample: a quarter of the window, so a stall is seen at most a quarter window late, within
     * [250 ms, 1 s]: the same second a missing Child SA is noticed in, and one snapshot of a few counters per
     * second and connection costs next to nothing.
     */
    Duration sampleInterval() {
        long ms = Math.max(250, Math.min(1_000, window.toMillis() / 4));
        return Duration.ofMillis(ms);
    }

    /** Takes one sample of the tunnel's counters at {@code now}. */
    Observation observe(Instant now, DataPathCounters counters) {
        Map<Integer, long[]> deltas = new HashMap<>(); // childSaId -> {in, out}
        Set<Long> seen = new HashSet<>();
        for (SaCounters sa : counters.sas()) {
            long key = key(sa);
            seen.add(key);
            Long before = lastPackets.put(key, sa.packets());
            long delta;
            if (!primed) {
                delta = 0; // the first sample is the baseline
            } else if (before == null || sa.packets() < before) {
                delta = sa.packets(); // a new SA (rekey), or a rebuilt transform that counts from zero again
            } else {
                delta = sa.packets() - before;
            }
            deltas.computeIfAbsent(sa.childSaId(), id -> new long[2])[sa.direction() == SaDirection.INBOUND ? 0 : 1] += delta;
        }
        lastPackets.keySet().retainAll(seen);
        children.keySet().retainAll(deltas.keySet());
        primed = true;

        boolean inboundRose = false;
        Stall worst = null;
        for (Map.Entry<Integer, long[]> e : deltas.entrySet()) {
            Track t = children.computeIfAbsent(e.getKey(), id -> new Track());
            long in = e.getValue()[0];
            long out = e.getValue()[1];
            if (in > 0) {
                inboundRose = true;
                t.answered();
                continue;
            }
            if (out > 0) {
                if (t.firstUnanswered == null) {
                    t.firstUnanswered = now;
                }
                t.unansweredSamples++;
                t.unansweredPackets += out;
            }
            if (t.firstUnanswered != null && t.unansweredSamples >= 2) {
                Duration silent = Duration.between(t.firstUnanswered, now);
                if (silent.compareTo(window) >= 0 && (worst == null || silent.compareTo(worst.silentFor()) > 0)) {
                    worst = new Stall(e.getKey(), t.unansweredPackets, silent);
                }
            }
        }
        return new Observation(worst, inboundRose);
    }

    /**
     * Forgets the unanswered packets seen so far (the counts stay the baseline): after a repair, the
     * window starts again with the next packet that goes out.
     */
    void restart() {
        children.values().forEach(Track::answered);
    }

    private static long key(SaCounters sa) {
        return (sa.spi() & 0xffffffffL) << 1 | (sa.direction() == SaDirection.INBOUND ? 1 : 0);
    }
}
