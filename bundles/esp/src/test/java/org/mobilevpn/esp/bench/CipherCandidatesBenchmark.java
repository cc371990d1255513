package org.mobilevpn.esp.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.esp.crypto.BcChaCha20Poly1305Cipher;
import org.mobilevpn.esp.crypto.ChaCha20Poly1305Cipher;
import org.mobilevpn.esp.crypto.EspPacketCipher;
import org.mobilevpn.esp.crypto.JcaAesCbcHmacCipher;
import org.mobilevpn.esp.crypto.JcaAesGcmCipher;
import org.mobilevpn.esp.crypto.JcaChaCha20Poly1305Cipher;
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
 * JCA versus Bouncy Castle per algorithm, at the cipher layer (one ESP packet in a byte array): the
 * measurement behind PacketCipherChooser. seal = encrypt + ICV, open = verify + decrypt.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CipherCandidatesBenchmark {

    /** Packets in the decrypt ring: distinct nonces, so no implementation sees a repeated one. */
    private static final int RING = 64;

    @Param({"JCA_AES_GCM_128", "BC_AES_GCM_128", "JCA_CHACHA20_POLY1305", "BC_CHACHA20_POLY1305",
            "OWN_CHACHA20_POLY1305", "JCA_AES_CBC_128_HMAC_SHA256"})
    public String implementation;

    @Param({"1400"})
    public int size;

    private EspPacketCipher sealer;
    private EspPacketCipher opener;
    private byte[] buffer;
    private byte[][] ring;
    private byte[] out;
    private int plainLength;
    private int ciphertextLength;
    private long nonce;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(1);
        byte[] key = new byte[implementation.contains("256") && !implementation.contains("SHA") ? 32 : 16];
        if (implementation.contains("CHACHA")) {
            key = new byte[32];
        }
        byte[] salt = new byte[4];
        byte[] macKey = new byte[32];
        random.nextBytes(key);
        random.nextBytes(salt);
        random.nextBytes(macKey);
        sealer = create(key, salt, macKey, true);
        opener = create(key, salt, macKey, false);
        int align = Math.max(4, sealer.blockSize());
        plainLength = (size + 2 + align - 1) / align * align;
        int packetLength = 8 + sealer.ivLength() + plainLength + sealer.icvLength();
        buffer = new byte[packetLength];
        out = new byte[plainLength];
        ring = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            byte[] packet = new byte[packetLength];
            random.nextBytes(packet);
            Bytes4.spi(packet);
            sealer.seal(packet, 0, plainLength, ++nonce, 0);
            ring[i] = packet;
        }
        ciphertextLength = plainLength;
    }

    private EspPacketCipher create(byte[] key, byte[] salt, byte[] macKey, boolean encrypting) {
        switch (implementation) {
            case "JCA_AES_GCM_128":
                return new JcaAesGcmCipher(key, salt, false, encrypting);
            case "BC_AES_GCM_128":
                return new BcAesGcmCipher(key, salt, encrypting);
            case "JCA_CHACHA20_POLY1305":
                return new JcaChaCha20Poly1305Cipher(key, salt, false, encrypting);
            case "BC_CHACHA20_POLY1305":
                return new BcChaCha20Poly1305Cipher(key, salt, false, encrypting);
            case "OWN_CHACHA20_POLY1305":
                return new ChaCha20Poly1305Cipher(key, salt, false, encrypting);
            case "JCA_AES_CBC_128_HMAC_SHA256":
                return new JcaAesCbcHmacCipher(key, "HmacSHA256", macKey, 16, false, encrypting);
            default:
                throw new IllegalArgumentException(implementation);
        }
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
        boolean ok = opener.open(packet, 0, ciphertextLength, out, 0, 0);
        if (!ok) {
            throw new IllegalStateException("ICV failed in the benchmark");
        }
        return ok;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sealer.close();
        opener.close();
    }

    /** Puts a fixed SPI into a random packet. */
    private static final class Bytes4 {
        static void spi(byte[] packet) {
            packet[0] = 0x10;
            packet[1] = 0x20;
            packet[2] = 0x30;
            packet[3] = 0x40;
        }
    }
}
