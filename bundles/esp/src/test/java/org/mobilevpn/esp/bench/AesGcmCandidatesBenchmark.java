package org.mobilevpn.esp.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.esp.crypto.AesGcmEspCipher;
import org.mobilevpn.esp.crypto.EspPacketCipher;
import org.mobilevpn.esp.crypto.GhashVariant;
import org.mobilevpn.esp.crypto.JcaAesGcmCipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AES-GCM-16 for ESP (RFC 4106), the JDK's (re-initialised per packet, allocates inside the JDK) against
 * ours (JDK AES in ECB for the counter blocks, our GHASH: tables or constant time), at the cipher layer
 * (one ESP packet in a byte array). seal = encrypt + ICV, open = verify + decrypt. Run with
 * {@code -prof gc} for bytes per packet; 18 benchmarks, about 75 s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class AesGcmCandidatesBenchmark {

    private static final int RING = 64;

    @Param({"JDK", "TABLES", "CONSTANT_TIME", "CLMUL"})
    public String implementation;

    @Param({"64", "512", "1400"})
    public int size;

    @Param({"16"})
    public int keyLength;

    private EspPacketCipher sealer;
    private EspPacketCipher opener;
    private byte[] buffer;
    private byte[][] ring;
    private byte[] out;
    private int plainLength;
    private long nonce;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(1);
        byte[] key = new byte[keyLength];
        byte[] salt = new byte[4];
        random.nextBytes(key);
        random.nextBytes(salt);
        sealer = create(key, salt, true);
        opener = create(key, salt, false);
        plainLength = (size + 2 + 3) / 4 * 4;
        int packetLength = 8 + sealer.ivLength() + plainLength + sealer.icvLength();
        buffer = new byte[packetLength];
        out = new byte[plainLength];
        ring = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            byte[] packet = new byte[packetLength];
            random.nextBytes(packet);
            sealer.seal(packet, 0, plainLength, ++nonce, 0);
            ring[i] = packet;
        }
    }

    private EspPacketCipher create(byte[] key, byte[] salt, boolean encrypting) {
        return implementation.equals("JDK") ? new JcaAesGcmCipher(key, salt, false, encrypting)
                : new AesGcmEspCipher(key, salt, false, encrypting, GhashVariant.valueOf(implementation));
    }

    @Benchmark
    public byte[] seal() {
        sealer.seal(buffer, 0, plainLength, ++nonce, 0);
        return buffer;
    }

    @Benchmark
    public boolean open() {
        byte[] packet = ring[next];
        next = (next + 1) & (RING - 1);
        if (!opener.open(packet, 0, plainLength, out, 0, 0)) {
            throw new IllegalStateException("ICV failed in the benchmark");
        }
        return true;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sealer.close();
        opener.close();
    }
}
