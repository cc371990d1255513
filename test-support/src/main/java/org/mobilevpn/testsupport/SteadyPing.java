package org.mobilevpn.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A steady stream of pings ({@code ping -D -n -i INTERVAL}) from a {@link Netns}, running in the background
 * while a test does something to the path, then stopped with SIGINT; {@link Result} says which echo requests
 * went unanswered and when. Used to measure what a rekey or a data path switch costs the traffic.
 *
 * <pre>{@code
 * SteadyPing ping = SteadyPing.start(net.client(), TestNetwork.LAN_HOST_IP, Duration.ofMillis(50));
 * ... rekey ...
 * SteadyPing.Result r = ping.stop();
 * assertTrue(r.lost() <= 1, r.toString());
 * }</pre>
 */
public final class SteadyPing implements AutoCloseable {
    /** {@code [1764153600.123456] 64 bytes from 203.0.113.2: icmp_seq=17 ttl=63 time=0.512 ms}. */
    private static final Pattern REPLY = Pattern.compile("\\[(\\d+)\\.(\\d{6})] \\d+ bytes from .*icmp_seq=(\\d+)");
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    private final NsProcess ping;
    private final Duration interval;
    private final Instant started = Instant.now();

    private SteadyPing(NsProcess ping, Duration interval) {
        this.ping = ping;
        this.interval = interval;
    }

    /**
     * What the stream saw.
     *
     * @param transmitted echo requests sent
     * @param received    answers
     * @param lostSeqs    icmp_seq of each request not answered, except the last one when it was still in flight
     *                    at the stop
     * @param replies     the time of each answer by icmp_seq
     */
    public record Result(int transmitted, int received, List<Integer> lostSeqs, TreeMap<Integer, Instant> replies) {
        /** @return requests lost (sent, not answered, and not just in flight at the stop) */
        public int lost() {
            return lostSeqs.size();
        }

        /** @return the longest time between two consecutive answers */
        public Duration longestGap() {
            Duration longest = Duration.ZERO;
            Instant previous = null;
            for (Instant t : replies.values()) {
                if (previous != null && Duration.between(previous, t).compareTo(longest) > 0) {
                    longest = Duration.between(previous, t);
                }
                previous = t;
            }
            return longest;
        }

        @Override
        public String toString() {
            return transmitted + " sent, " + received + " answered, " + lost() + " lost" + (lostSeqs.isEmpty() ? ""
                    : " (icmp_seq " + lostSeqs + ")") + ", longest gap between answers " + longestGap().toMillis() + " ms";
        }
    }

    /**
     * Starts pinging {@code target} from {@code ns} every {@code interval} (below 200 ms needs root).
     *
     * @param ns       where ping runs
     * @param target   address to ping
     * @param interval time between two echo requests
     * @return the running stream
     */
    public static SteadyPing start(Netns ns, String target, Duration interval) {
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", interval.toMillis() / 1000.0);
        return new SteadyPing(ns.start("steady-ping", "ping", "-D", "-n", "-i", seconds, "-W", "2", target), interval);
    }

    /** @return how long the stream has been running */
    public Duration running() {
        return Duration.between(started, Instant.now());
    }

    /**
     * Stops the stream (SIGINT, after which ping prints its summary) and reads what it saw.
     *
     * @return the counts and the unanswered requests
     * @throws IllegalStateException when ping printed no summary
     */
    public Result stop() {
        ping.stop("INT", Duration.ofSeconds(5));
        String out = ping.stdout();
        Matcher summary = SUMMARY.matcher(out);
        if (!summary.find()) {
            throw new IllegalStateException("ping printed no summary:\n" + out + ping.stderr());
        }
        int transmitted = Integer.parseInt(summary.group(1));
        TreeMap<Integer, Instant> replies = new TreeMap<>();
        Matcher m = REPLY.matcher(out);
        while (m.find()) {
            replies.put(Integer.parseInt(m.group(3)),
                    Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000));
        }
        TreeSet<Integer> lost = new TreeSet<>();
        for (int seq = 1; seq <= transmitted; seq++) {
            if (!replies.containsKey(seq)) {
                lost.add(seq);
            }
        }
        // SIGINT may come while the last request is on its way: that one is not lost. An interval of 50 ms
        // against a round trip of about a millisecond leaves at most this one in flight.
        if (!lost.isEmpty() && lost.last() == transmitted && !lost.contains(transmitted - 1)) {
            lost.remove(transmitted);
        }
        return new Result(transmitted, replies.size(), new ArrayList<>(lost), replies);
    }

    /** @return the interval between echo requests */
    public Duration interval() {
        return interval;
    }

    @Override
    public void close() {
        if (ping.isAlive()) {
            ping.stop("INT", Duration.ofSeconds(5));
        }
    }
}
