package org.mobilevpn.esp;

import java.util.Random;
import java.util.stream.Stream;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/** Matching outbound/inbound SA pairs with deterministic keys for tests. */
public final class TestSas {

    public static final int SPI = 0xC0FFEE01;

    /** Every algorithm combination we support. */
    public record Suite(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity) {
        @Override
        public String toString() {
            return encryption + (integrity == IntegrityAlgorithm.NONE ? "" : "/" + integrity);
        }
    }

    private TestSas() {
    }

    public static Stream<Suite> suites() {
        return Stream.of(
                new Suite(EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE),
                new Suite(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE),
                new Suite(EncryptionAlgorithm.CHACHA20_POLY1305, IntegrityAlgorithm.NONE),
                new Suite(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA2_256_128),
                new Suite(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_256_128),
                new Suite(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_384_192),
                new Suite(EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA2_512_256),
                new Suite(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_512_256));
    }

    public static EspKeys keys(Suite suite, long seed) {
        Random random = new Random(seed);
        byte[] key = new byte[suite.encryption().keyLength()];
        byte[] salt = new byte[suite.encryption().saltLength()];
        byte[] integrity = new byte[suite.integrity().keyLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        random.nextBytes(integrity);
        return EspKeys.copyOf(key, salt, integrity);
    }

    public static EspSa sa(Suite suite, SaDirection direction, boolean esn, long initialSequence,
                           EspLifetime lifetime, int window) {
        return new EspSa(7, SPI, direction, suite.encryption(), suite.integrity(), keys(suite, 42), esn, window,
                UdpEncapsulation.DEFAULT, lifetime, initialSequence);
    }

    public static EspSa outbound(Suite suite, boolean esn) {
        return sa(suite, SaDirection.OUTBOUND, esn, 0, EspLifetime.UNLIMITED, EspSa.DEFAULT_REPLAY_WINDOW);
    }

    public static EspSa inbound(Suite suite, boolean esn) {
        return sa(suite, SaDirection.INBOUND, esn, 0, EspLifetime.UNLIMITED, EspSa.DEFAULT_REPLAY_WINDOW);
    }
}
