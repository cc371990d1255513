package org.mobilevpn.esp.bench;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.EspTransformFactory;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.esp.EspTransformFactoryComponent;
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
 * The hot path as the pump uses it: the factory's transforms on direct ByteBuffers. encrypt = inner
 * packet into an ESP packet in place (headroom reserved); decrypt = ESP packet to inner packet, buffer to
 * buffer, over a ring of distinct packets. The inbound SA has its replay window switched off (size 0) so
 * the ring can be decrypted again and again; sequence inference and window bookkeeping still run, the
 * bitmap lookup that a window adds is a few nanoseconds. Run with {@code -prof gc} for bytes per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class EspTransformBenchmark {

    private static final int RING = 1024;

    @Param({"AES_GCM_16_128", "AES_GCM_16_256", "CHACHA20_POLY1305", "AES_CBC_128+HMAC_SHA2_256_128",
            "AES_CBC_256+HMAC_SHA2_512_256"})
    public String suite;

    @Param({"1400"})
    public int size;

    private EspEncryptor encryptor;
    private EspDecryptor decryptor;
    private ByteBuffer packet;
    private ByteBuffer[] ring;
    private ByteBuffer inner;
    private byte[] innerBytes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        String[] names = suite.split("\\+");
        EncryptionAlgorithm encryption = EncryptionAlgorithm.valueOf(names[0]);
        IntegrityAlgorithm integrity = names.length > 1 ? IntegrityAlgorithm.valueOf(names[1]) : IntegrityAlgorithm.NONE;
        Random random = new Random(7);
        byte[] key = new byte[encryption.keyLength()];
        byte[] salt = new byte[encryption.saltLength()];
        byte[] macKey = new byte[integrity.keyLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        random.nextBytes(macKey);
        EspTransformFactory factory = new EspTransformFactoryComponent();
        encryptor = factory.createEncryptor(sa(SaDirection.OUTBOUND, encryption, integrity, key, salt, macKey),
                EspSaListener.NONE);
        decryptor = factory.createDecryptor(sa(SaDirection.INBOUND, encryption, integrity, key, salt, macKey),
                EspSaListener.NONE);
        innerBytes = new byte[size];
        random.nextBytes(innerBytes);
        innerBytes[0] = 0x45;
        packet = ByteBuffer.allocateDirect(encryptor.headroom() + size + encryptor.maxTrailer());
        inner = ByteBuffer.allocateDirect(size + 64);
        ring = new ByteBuffer[RING];
        for (int i = 0; i < RING; i++) {
            ring[i] = ByteBuffer.allocateDirect(encryptor.outputLength(size));
        }
        refillRing();
    }

    private static EspSa sa(SaDirection direction, EncryptionAlgorithm encryption, IntegrityAlgorithm integrity, byte[] key,
                            byte[] salt, byte[] macKey) {
        return new EspSa(1, 0x10203040, direction, encryption, integrity, EspKeys.copyOf(key, salt, macKey), true,
                0, UdpEncapsulation.DEFAULT, EspLifetime.UNLIMITED, 0);
    }

    private void refillRing() {
        for (ByteBuffer esp : ring) {
            esp.clear();
            EspStatus status = encryptor.encrypt(ByteBuffer.wrap(innerBytes), esp);
            if (status != EspStatus.OK) {
                throw new IllegalStateException(status.toString());
            }
            esp.flip();
        }
    }

    @Benchmark
    public ByteBuffer encrypt() {
        packet.clear().position(encryptor.headroom());
        packet.put(innerBytes, 0, size);
        packet.limit(packet.position()).position(encryptor.headroom());
        EspStatus status = encryptor.encryptInPlace(packet);
        if (status != EspStatus.OK) {
            throw new IllegalStateException(status.toString());
        }
        return packet;
    }

    @Benchmark
    public ByteBuffer decrypt() {
        ByteBuffer esp = ring[next];
        next = (next + 1) & (RING - 1);
        esp.position(0);
        inner.clear();
        EspStatus status = decryptor.decrypt(esp, inner);
        if (status != EspStatus.OK) {
            throw new IllegalStateException(status.toString());
        }
        return inner;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encryptor.close();
        decryptor.close();
    }
}
