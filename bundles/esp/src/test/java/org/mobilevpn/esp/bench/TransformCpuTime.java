package org.mobilevpn.esp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Companion to {@link EspTransformBenchmark} for a busy shared machine: the same encrypt (in place) and
 * decrypt (buffer to buffer) calls on direct buffers for every suite at 64, 512 and 1400 bytes,
 * interleaved round by round and timed in THREAD CPU time. Prints median ns per packet, the MB/s that
 * implies for one core, and bytes allocated per packet.
 * Run: java -cp ... org.mobilevpn.esp.bench.TransformCpuTime [rounds]
 */
public final class TransformCpuTime {

    private static final String[] SUITES = {"AES_GCM_16_128", "AES_GCM_16_256", "CHACHA20_POLY1305",
        "AES_CBC_128+HMAC_SHA2_256_128", "AES_CBC_256+HMAC_SHA2_256_128", "AES_CBC_256+HMAC_SHA2_512_256"};
    private static final int[] SIZES = {64, 512, 1400};
    private static final int PACKETS_PER_ROUND = 10_000;

    private TransformCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        EspTransformBenchmark[][] states = new EspTransformBenchmark[SUITES.length][SIZES.length];
        for (int s = 0; s < SUITES.length; s++) {
            for (int z = 0; z < SIZES.length; z++) {
                EspTransformBenchmark state = new EspTransformBenchmark();
                state.suite = SUITES[s];
                state.size = SIZES[z];
                state.setUp();
                states[s][z] = state;
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
        long thread = Thread.currentThread().getId();
        double[][][][] ns = new double[SUITES.length][SIZES.length][2][rounds];
        double[][][] bytes = new double[SUITES.length][SIZES.length][2];
        for (int round = 0; round < rounds + 3; round++) {
            for (int s = 0; s < SUITES.length; s++) {
                for (int z = 0; z < SIZES.length; z++) {
                    EspTransformBenchmark state = states[s][z];
                    for (int op = 0; op < 2; op++) {
                        long a0 = allocation.getThreadAllocatedBytes(thread);
                        long t0 = threads.getCurrentThreadCpuTime();
                        for (int i = 0; i < PACKETS_PER_ROUND; i++) {
                            if (op == 0) {
                                state.encrypt();
                            } else {
                                state.decrypt();
                            }
                        }
                        long t1 = threads.getCurrentThreadCpuTime();
                        long a1 = allocation.getThreadAllocatedBytes(thread);
                        if (round >= 3) {
                            ns[s][z][op][round - 3] = (t1 - t0) / (double) PACKETS_PER_ROUND;
                            bytes[s][z][op] = (a1 - a0) / (double) PACKETS_PER_ROUND;
                        }
                    }
                }
            }
        }
        System.out.printf("%-32s %6s %10s %10s %9s %9s %8s %8s   (median of %d rounds, thread CPU time)%n",
                "suite", "bytes", "enc ns", "dec ns", "enc MB/s", "dec MB/s", "enc B/op", "dec B/op", rounds);
        for (int s = 0; s < SUITES.length; s++) {
            for (int z = 0; z < SIZES.length; z++) {
                double enc = median(ns[s][z][0]);
                double dec = median(ns[s][z][1]);
                System.out.printf("%-32s %6d %10.0f %10.0f %9.0f %9.0f %8.0f %8.0f%n", SUITES[s], SIZES[z], enc, dec,
                        SIZES[z] * 1000.0 / enc, SIZES[z] * 1000.0 / dec, bytes[s][z][0], bytes[s][z][1]);
            }
            states[s][0].tearDown();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
