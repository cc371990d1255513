package org.mobilevpn.esp.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mobilevpn.esp.crypto.AesGcmEspCipher;
import org.mobilevpn.esp.crypto.EspPacketCipher;
import org.mobilevpn.esp.crypto.GhashVariant;
import org.mobilevpn.esp.crypto.JcaAesGcmCipher;

/**
 * The CPU-time companion of {@link AesGcmCandidatesBenchmark} for the busy shared machine: JDK AES-GCM
 * versus ours (tables / constant-time GHASH), AES-128 and AES-256, 64/512/1400-byte payloads,
 * interleaved round after round in one thread, timed in thread CPU time (waiting for a core does not
 * count), median ns per packet and bytes allocated per packet.
 * Run: java -cp ... org.mobilevpn.esp.bench.AesGcmCpuTime [rounds]
 */
public final class AesGcmCpuTime {

    private static final int[] SIZES = {64, 512, 1400};
    private static final String[] IMPLEMENTATIONS = {"JDK", "TABLES", "CONSTANT_TIME", "CLMUL"};
    private static final int BYTES_PER_ROUND = 8_000_000;

    private AesGcmCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Random random = new Random(5);
        byte[] salt = new byte[4];
        random.nextBytes(salt);
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        long[] nonce = {1};
        for (int round = 0; round < rounds + 3; round++) {
            for (int keyLength : new int[] {16, 32}) {
                byte[] key = new byte[keyLength];
                random.nextBytes(key);
                for (int size : SIZES) {
                    for (String impl : IMPLEMENTATIONS) {
                        try (EspPacketCipher sealer = create(impl, key, salt, true);
                             EspPacketCipher opener = create(impl, key, salt, false)) {
                            int plain = (size + 2 + 3) / 4 * 4;
                            int packets = BYTES_PER_ROUND / (plain + 32) / 4;
                            byte[] packet = new byte[16 + plain + 16];
                            byte[] out = new byte[plain];
                            sealer.seal(packet, 0, plain, nonce[0]++, 0); // first use outside the timing
                            opener.open(packet, 0, plain, out, 0, 0);
                            long a0 = threads.getThreadAllocatedBytes(thread);
                            long t0 = threads.getCurrentThreadCpuTime();
                            for (int i = 0; i < packets; i++) {
                                sealer.seal(packet, 0, plain, nonce[0]++, 0);
                            }
                            long t1 = threads.getCurrentThreadCpuTime();
                            long a1 = threads.getThreadAllocatedBytes(thread);
                            boolean ok = true;
                            for (int i = 0; i < packets; i++) {
                                ok &= opener.open(packet, 0, plain, out, 0, 0);
                            }
                            long t2 = threads.getCurrentThreadCpuTime();
                            long a2 = threads.getThreadAllocatedBytes(thread);
                            if (!ok) {
                                throw new IllegalStateException(impl + " failed to open its own packet");
                            }
                            if (round >= 3) {
                                results.computeIfAbsent(impl + " AES-" + keyLength * 8 + " " + size, k -> new ArrayList<>())
                                        .add(new double[] {(t1 - t0) / (double) packets, (t2 - t1) / (double) packets,
                                                (a1 - a0) / (double) packets, (a2 - a1) / (double) packets});
                            }
                        }
                    }
                }
            }
        }
        System.out.printf("%-28s %10s %10s %10s %10s%n", "median of " + rounds, "seal ns", "open ns", "seal B/op", "open B/op");
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            System.out.printf("%-28s %10.0f %10.0f %10.1f %10.1f%n", e.getKey(), median(e.getValue(), 0),
                    median(e.getValue(), 1), median(e.getValue(), 2), median(e.getValue(), 3));
        }
    }

    private static EspPacketCipher create(String impl, byte[] key, byte[] salt, boolean encrypting) {
        return impl.equals("JDK") ? new JcaAesGcmCipher(key, salt, false, encrypting)
                : new AesGcmEspCipher(key, salt, false, encrypting, GhashVariant.valueOf(impl));
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
