package org.mobilevpn.esp;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.esp.crypto.AesGcmEspCipher;
import org.mobilevpn.esp.crypto.ChaCha20Poly1305Cipher;
import org.mobilevpn.esp.crypto.EspPacketCipher;
import org.mobilevpn.esp.crypto.GhashVariant;
import org.mobilevpn.esp.crypto.JdkClmulGhash;
import org.mobilevpn.esp.crypto.JcaAesCbcHmacCipher;
import org.mobilevpn.esp.crypto.JcaAesGcmCipher;

/**
 * Picks the implementation of each algorithm, by measurement (docs/benchmarks.md, ESP transforms):
 * AES-GCM of our own ({@link AesGcmEspCipher}: the JDK's AES with its intrinsic for the counter blocks, GHASH
 * in constant time, see {@link #DEFAULT_AES_GCM}), because the JDK's AES-GCM must be re-initialised per packet
 * and allocates ~1.1 KB each time: at moderate load both reach 2.7-4.1x strongSwan, but under heavy load the
 * garbage collections cut the JDK variant to 0.6-0.7x while ours held 1.8-2.6x; AES-CBC on the JDK (with our HMAC on the JDK's
 * SHA-2); our own ChaCha20-Poly1305, which on Java 17 beats both the JDK's (no intrinsic yet) and Bouncy
 * Castle's and, unlike them, allocates nothing per packet.
 */
final class PacketCipherChooser {

    /** System property that overrides the AES-GCM implementation (benchmarks). */
    static final String AES_GCM_PROPERTY = "mvpn.esp.aesgcm";
    /**
     * The AES-GCM implementation the data path uses without the property: GHASH on the JDK's carry-less
     * multiplication ({@link JdkClmulGhash}), which has no secret-dependent memory access and measured faster
     * than the table GHASH that was the default before (docs/benchmarks.md); where it is unavailable, the
     * constant-time GHASH of our own ({@value #FALLBACK_AES_GCM}), slower but just as free of cache-timing
     * leaks. The table GHASH, whose look-ups are indexed by data that depends on the hash key, is used only
     * when chosen.
     */
    static final String DEFAULT_AES_GCM = "clmul";
    /** What {@link #DEFAULT_AES_GCM} falls back to where the JDK's GHASH is unavailable. */
    static final String FALLBACK_AES_GCM = "constant-time";

    private PacketCipherChooser() {
    }

    /** AES with 128- and 256-bit keys and ChaCha20-Poly1305; no AES-192 (nothing tests it here yet). */
    static Set<EncryptionAlgorithm> supportedEncryption() {
        return EnumSet.of(EncryptionAlgorithm.AES_GCM_16_128, EncryptionAlgorithm.AES_GCM_16_256,
                EncryptionAlgorithm.CHACHA20_POLY1305, EncryptionAlgorithm.AES_CBC_128, EncryptionAlgorithm.AES_CBC_256);
    }

    static Set<IntegrityAlgorithm> supportedIntegrity() {
        return EnumSet.allOf(IntegrityAlgorithm.class);
    }

    /** A new cipher for the SA, with its own key copies (the SA's keys stay untouched). */
    static EspPacketCipher create(EspSa sa) {
        EspKeys keys = sa.keys();
        boolean encrypting = sa.direction() == SaDirection.OUTBOUND;
        boolean esn = sa.extendedSequenceNumbers();
        byte[] key = keys.encryptionKey().toByteArray();
        byte[] salt = keys.salt().toByteArray();
        byte[] integrityKey = keys.integrityKey().toByteArray();
        try {
            switch (sa.encryption()) {
                case AES_GCM_16_128:
                case AES_GCM_16_256:
                    return aesGcm(key, salt, esn, encrypting);
                case CHACHA20_POLY1305:
                    return new ChaCha20Poly1305Cipher(key, salt, esn, encrypting);
                case AES_CBC_128:
                case AES_CBC_256:
                    return new JcaAesCbcHmacCipher(key, macAlgorithm(sa.integrity()), integrityKey,
                            sa.integrity().icvLength(), esn, encrypting);
                default:
                    throw new IllegalArgumentException("unsupported encryption " + sa.encryption());
            }
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(salt, (byte) 0);
            Arrays.fill(integrityKey, (byte) 0);
        }
    }

    /**
     * The AES-GCM implementation SAs get: the system property {@value #AES_GCM_PROPERTY} when set ({@code jdk},
     * {@code tables}, {@code constant-time}, {@code clmul}; it exists so the data path benchmark can compare them
     * in one run), else {@link #DEFAULT_AES_GCM} where it is available and {@link #FALLBACK_AES_GCM} where not.
     */
    static String aesGcmChoice() {
        String chosen = System.getProperty(AES_GCM_PROPERTY);
        if (chosen != null) {
            return chosen;
        }
        return JdkClmulGhash.UNAVAILABLE == null ? DEFAULT_AES_GCM : FALLBACK_AES_GCM;
    }

    /** AES-GCM as {@link #aesGcmChoice()} says; read when an SA is set up, never per packet. */
    private static EspPacketCipher aesGcm(byte[] key, byte[] salt, boolean esn, boolean encrypting) {
        String choice = aesGcmChoice();
        switch (choice) {
            case "jdk":
                return new JcaAesGcmCipher(key, salt, esn, encrypting);
            case "tables":
                return new AesGcmEspCipher(key, salt, esn, encrypting, GhashVariant.TABLES);
            case "constant-time":
                return new AesGcmEspCipher(key, salt, esn, encrypting, GhashVariant.CONSTANT_TIME);
            case "clmul":
                if (JdkClmulGhash.UNAVAILABLE != null) {
                    throw new IllegalArgumentException(AES_GCM_PROPERTY + " = clmul, but " + JdkClmulGhash.UNAVAILABLE);
                }
                return new AesGcmEspCipher(key, salt, esn, encrypting, GhashVariant.CLMUL);
            default:
                throw new IllegalArgumentException(AES_GCM_PROPERTY + " must be jdk, tables, constant-time or clmul, not " + choice);
        }
    }

    private static String macAlgorithm(IntegrityAlgorithm integrity) {
        switch (integrity) {
            case HMAC_SHA2_256_128:
                return "HmacSHA256";
            case HMAC_SHA2_384_192:
                return "HmacSHA384";
            case HMAC_SHA2_512_256:
                return "HmacSHA512";
            default:
                throw new IllegalArgumentException("AES-CBC needs an HMAC, not " + integrity);
        }
    }
}
