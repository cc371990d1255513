package org.mobilevpn.filter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.filter.SecurityPolicyDatabase;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SplitTunnelPolicy;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.filter.SecurityPolicyDatabaseFactoryComponent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What checking decrypted packets against the Child SA's negotiated selectors costs (issue 12, finding 7),
 * against the check it replaced, against the PROTECT rules of the profile's {@code split_include}. A
 * remote-access SPD as the policy bundle builds it: four includes, the gateway agreed to TSr 0.0.0.0/0; the
 * packet comes from the last include (the old check's worst case). {@code check = split_include} compiles the
 * same SPD without its inbound checks, which is how the filter checked before. Run (see docs/benchmarks.md):
 * {@code java -cp $CP org.openjdk.jmh.Main InboundCheckBenchmark -prof gc}, and its CPU-time companion
 * {@code java -cp $CP org.mobilevpn.filter.bench.InboundCheckBenchmark 21}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class InboundCheckBenchmark {
    private static final int CHILD = 1;
    private static final int CHECKS_PER_ROUND = 200_000;

    @Param({"split_include", "negotiated"})
    public String check;

    private SecurityPolicyDatabase spd;
    private ByteBuffer packet;

    @Setup
    public void setUp() throws UnknownHostException {
        SplitTunnelPolicy includes = new SplitTunnelPolicy(List.of(TrafficSelector.parse("203.0.113.0/24"),
                TrafficSelector.parse("198.19.0.0/24"), TrafficSelector.parse("100.64.0.0/24"),
                TrafficSelector.parse("198.51.100.0/24")), List.of(), true);
        SpdConfiguration negotiated = SpdConfiguration.remoteAccess(CHILD, List.of(TrafficSelector.parse("198.18.0.1")),
                List.of(TrafficSelector.ANY_IPV4), includes);
        SpdConfiguration configuration = check.equals("negotiated") ? negotiated
                : new SpdConfiguration(negotiated.rules(), negotiated.defaultAction());
        spd = new SecurityPolicyDatabaseFactoryComponent().compile(configuration);
        packet = ByteBuffer.allocateDirect(1400);
        packet.put(0, (byte) 0x45).putShort(2, (short) 1400).put(8, (byte) 64).put(9, (byte) 17);
        packet.put(12, InetAddress.getByName("198.51.100.9").getAddress());
        packet.put(16, InetAddress.getByName("198.18.0.1").getAddress());
        packet.putShort(20, (short) 443).putShort(22, (short) 40000);
        if (!spd.checkInbound(CHILD, packet)) {
            throw new IllegalStateException("benchmark SPD does not accept the packet as intended");
        }
    }

    @Benchmark
    public boolean inboundCheck() {
        return spd.checkInbound(CHILD, packet);
    }

    /** Both checks interleaved round by round in thread CPU time (waiting for a core does not count). */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String[] kinds = {"split_include", "negotiated"};
        InboundCheckBenchmark[] states = new InboundCheckBenchmark[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            states[i] = new InboundCheckBenchmark();
            states[i].check = kinds[i];
            states[i].setUp();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] ns = new double[kinds.length][rounds];
        int accepted = 0;
        for (int round = 0; round < rounds + 3; round++) {
            for (int i = 0; i < kinds.length; i++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int n = 0; n < CHECKS_PER_ROUND; n++) {
                    accepted += states[i].inboundCheck() ? 1 : 0;
                }
                long t1 = threads.getCurrentThreadCpuTime();
                if (round >= 3) {
                    ns[i][round - 3] = (t1 - t0) / (double) CHECKS_PER_ROUND;
                }
            }
        }
        for (int i = 0; i < kinds.length; i++) {
            double[] sorted = ns[i].clone();
            Arrays.sort(sorted);
            System.out.printf("inbound check against %-14s median %.1f ns (of %d rounds)%n", kinds[i], sorted[rounds / 2],
                    rounds);
        }
        System.out.printf("%d of %d checks accepted%n", accepted, (rounds + 3) * kinds.length * CHECKS_PER_ROUND);
    }
}
