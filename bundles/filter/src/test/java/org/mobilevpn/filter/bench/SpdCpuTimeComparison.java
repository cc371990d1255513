package org.mobilevpn.filter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Companion to {@link SpdLookupBenchmark} for a busy shared machine: the same lookups with 1 and 1,000
 * rules, interleaved round by round and timed in THREAD CPU time (waiting for a core does not count).
 * Prints the median ns per lookup. Run: java -cp ... org.mobilevpn.filter.bench.SpdCpuTimeComparison
 */
public final class SpdCpuTimeComparison {

    private static final int LOOKUPS_PER_ROUND = 200_000;

    private SpdCpuTimeComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int[] sizes = {1, 1000};
        SpdLookupBenchmark[] states = new SpdLookupBenchmark[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            states[i] = new SpdLookupBenchmark();
            states[i].rules = sizes[i];
            states[i].setUp();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][][] ns = new double[sizes.length][3][rounds];
        long sink = 0;
        for (int round = 0; round < rounds + 3; round++) {
            for (int i = 0; i < sizes.length; i++) {
                SpdLookupBenchmark s = states[i];
                for (int kind = 0; kind < 3; kind++) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    for (int n = 0; n < LOOKUPS_PER_ROUND; n++) {
                        Object result = kind == 0 ? s.outboundMatchingLastRule()
                                : kind == 1 ? s.outboundMatchingNoRule() : Boolean.valueOf(s.inboundCheck());
                        sink ^= System.identityHashCode(result);
                    }
                    long t1 = threads.getCurrentThreadCpuTime();
                    if (round >= 3) {
                        ns[i][kind][round - 3] = (t1 - t0) / (double) LOOKUPS_PER_ROUND;
                    }
                }
            }
        }
        System.out.printf("%-8s %22s %22s %14s   (median of %d, sink %d)%n", "rules", "outbound, last rule",
                "outbound, no rule", "inbound check", rounds, sink & 1);
        for (int i = 0; i < sizes.length; i++) {
            System.out.printf("%-8d %22.1f %22.1f %14.1f%n", sizes[i], median(ns[i][0]), median(ns[i][1]), median(ns[i][2]));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
