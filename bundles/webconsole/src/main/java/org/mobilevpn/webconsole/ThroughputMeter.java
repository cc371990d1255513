package org.mobilevpn.webconsole;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mobilevpn.api.policy.ChildSaStatus;

/**
 * Current throughput of each connection from the byte counters of its Child SAs, as the difference
 * between two samples divided by the time between them.
 *
 * <p>Counters are followed per SA (by our inbound SPI), not per connection: a rekey replaces an SA by
 * one whose counters start at zero, so a connection's sum may go down although traffic flowed. An SA
 * not seen in the previous sample is new since then, so all its bytes count; the bytes an SA carried
 * between the previous sample and its deletion are lost (a small undercount at a rekey, never a
 * negative rate).
 *
 * <p>Several clients refresh at once (two browsers, the JSON for a script): a sample closer than
 * {@code minInterval} to the baseline keeps the previous rate instead of dividing by a tiny interval.
 * Thread-safe.
 */
final class ThroughputMeter {
    private final Duration minInterval;
    private final Map<String, Sample> baselines = new HashMap<>();

    /** @param minInterval shortest interval a rate is computed over */
    ThroughputMeter(Duration minInterval) {
        this.minInterval = minInterval;
    }

    /** Takes a sample of one connection's SAs at {@code now} and returns its current rates. */
    synchronized Throughput sample(String connection, List<ChildSaStatus> childSas, Instant now) {
        Sample previous = baselines.get(connection);
        if (previous == null) {
            baselines.put(connection, new Sample(now, counters(childSas), Throughput.UNKNOWN));
            return Throughput.UNKNOWN;
        }
        Duration interval = Duration.between(previous.time, now);
        if (interval.compareTo(minInterval) < 0) {
            return previous.rate;
        }
        long bytesIn = 0;
        long bytesOut = 0;
        for (ChildSaStatus sa : childSas) {
            long[] before = previous.counters.get(sa.spiIn());
            bytesIn += grown(sa.bytesIn(), before == null ? 0 : before[0]);
            bytesOut += grown(sa.bytesOut(), before == null ? 0 : before[1]);
        }
        double seconds = interval.toNanos() / 1e9;
        Throughput rate = new Throughput(bytesIn * 8 / seconds, bytesOut * 8 / seconds);
        baselines.put(connection, new Sample(now, counters(childSas), rate));
        return rate;
    }

    /** Forgets connections that no longer exist. */
    synchronized void retain(Set<String> connections) {
        baselines.keySet().retainAll(connections);
    }

    /** Bytes since the baseline; a counter that went back (cannot happen for one SA) counts from zero. */
    private static long grown(long now, long before) {
        return now >= before ? now - before : now;
    }

    private static Map<Integer, long[]> counters(List<ChildSaStatus> childSas) {
        Map<Integer, long[]> counters = new HashMap<>();
        for (ChildSaStatus sa : childSas) {
            counters.put(sa.spiIn(), new long[] {sa.bytesIn(), sa.bytesOut()});
        }
        return counters;
    }

    private record Sample(Instant time, Map<Integer, long[]> counters, Throughput rate) {
    }
}
