package org.mobilevpn.esp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mobilevpn.esp.crypto.BcChaCha20Poly1305Cipher;
import org.mobilevpn.esp.crypto.ChaCha20Poly1305Cipher;
import org.mobilevpn.esp.crypto.EspPacketCipher;
import org.mobilevpn.esp.crypto.JcaAesCbcHmacCipher;
import org.mobilevpn.esp.crypto.JcaAesGcmCipher;
import org.mobilevpn.esp.crypto.JcaChaCha20Poly1305Cipher;

/**
 * A companion to the JMH benchmarks for a busy shared machine: the candidates run interleaved in one
 * thread, round after round, and each round is timed in THREAD CPU time, so time spent waiting for a
 * core (other builds) does not count. Prints the median ns per 1400-byte seal and open and the bytes
 * this thread allocated per packet. Run: java -cp ... org.mobilevpn.esp.bench.CpuTimeComparison [rounds]
 */
public final class CpuTimeComparison {

    private static final int SIZE = 1400;
    private static final int PACKETS_PER_ROUND = 20_000;

    private CpuTimeComparison() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Random random = new Random(3);
        byte[] key16 = new byte[16];
        byte[] key32 = new byte[32];
        byte[] salt = new byte[4];
        byte[] macKey = new byte[32];
        random.nextBytes(key16);
        random.nextBytes(key32);
        random.nextBytes(salt);
        random.nextBytes(macKey);
        Map<String, EspPacketCipher[]> candidates = new LinkedHashMap<>();
        candidates.put("JCA AES-GCM-128", pair(e -> new JcaAesGcmCipher(key16, salt, false, e)));
        candidates.put("BC AES-GCM-128", pair(e -> new BcAesGcmCipher(key16, salt, e)));
        candidates.put("JCA ChaCha20-Poly1305", pair(e -> new JcaChaCha20Poly1305Cipher(key32, salt, false, e)));
        candidates.put("BC ChaCha20-Poly1305", pair(e -> new BcChaCha20Poly1305Cipher(key32, salt, false, e)));
        candidates.put("own ChaCha20-Poly1305", pair(e -> new ChaCha20Poly1305Cipher(key32, salt, false, e)));
        candidates.put("JCA AES-CBC-128 + own HMAC-SHA256", pair(e -> new JcaAesCbcHmacCipher(key16, "HmacSHA256", macKey, 16, false, e)));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
        long thread = Thread.currentThread().getId();
        Map<String, List<Double>> sealTimes = new LinkedHashMap<>();
        Map<String, List<Double>> openTimes = new LinkedHashMap<>();
        Map<String, double[]> bytes = new LinkedHashMap<>();
        long[] nonce = {1};
        for (int round = 0; round < rounds + 3; round++) {
            for (Map.Entry<String, EspPacketCipher[]> candidate : candidates.entrySet()) {
                EspPacketCipher sealer = candidate.getValue()[0];
                EspPacketCipher opener = candidate.getValue()[1];
                int plain = (SIZE + 2 + sealer.blockSize() - 1) / sealer.blockSize() * sealer.blockSize();
                byte[] packet = new byte[16 + 16 + plain + 32];
                byte[] out = new byte[plain];
                long a0 = allocation.getThreadAllocatedBytes(thread);
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < PACKETS_PER_ROUND; i++) {
                    sealer.seal(packet, 0, plain, nonce[0]++, 0);
                }
                long t1 = threads.getCurrentThreadCpuTime();
                long a1 = allocation.getThreadAllocatedBytes(thread);
                // Two packets in turn: the JDK's ChaCha20 refuses a nonce twice in a row even to decrypt.
                byte[] other = packet.clone();
                sealer.seal(other, 0, plain, nonce[0]++, 0);
                a1 = allocation.getThreadAllocatedBytes(thread);
                t1 = threads.getCurrentThreadCpuTime();
                boolean ok = true;
                for (int i = 0; i < PACKETS_PER_ROUND; i++) {
                    ok &= opener.open((i & 1) == 0 ? packet : other, 0, plain, out, 0, 0);
                }
                long t2 = threads.getCurrentThreadCpuTime();
                long a2 = allocation.getThreadAllocatedBytes(thread);
                if (!ok) {
                    throw new IllegalStateException(candidate.getKey() + " failed to open its own packet");
                }
                if (round >= 3) { // the first rounds are JIT warm-up
                    sealTimes.computeIfAbsent(candidate.getKey(), k -> new ArrayList<>()).add((t1 - t0) / (double) PACKETS_PER_ROUND);
                    openTimes.computeIfAbsent(candidate.getKey(), k -> new ArrayList<>()).add((t2 - t1) / (double) PACKETS_PER_ROUND);
                    bytes.put(candidate.getKey(), new double[] {(a1 - a0) / (double) PACKETS_PER_ROUND,
                            (a2 - a1) / (double) PACKETS_PER_ROUND});
                }
            }
        }
        System.out.printf("%-36s %14s %14s %12s %12s%n", "1400-byte packet, median of " + rounds, "seal ns (CPU)",
                "open ns (CPU)", "seal B/op", "open B/op");
        for (String name : candidates.keySet()) {
            System.out.printf("%-36s %14.0f %14.0f %12.0f %12.0f%n", name, median(sealTimes.get(name)),
                    median(openTimes.get(name)), bytes.get(name)[0], bytes.get(name)[1]);
        }
    }

    private interface Factory {
        EspPacketCipher create(boolean encrypting);
    }

    private static EspPacketCipher[] pair(Factory factory) {
        return new EspPacketCipher[] {factory.create(true), factory.create(false)};
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
