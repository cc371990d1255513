package org.mobilevpn.ike.crypto;

import java.security.SecureRandom;
import org.mobilevpn.api.ike.EncryptionAlgorithm;
import org.mobilevpn.api.ike.IntegrityAlgorithm;
import org.mobilevpn.api.ike.KeyExchangeMethod;
import org.mobilevpn.api.ike.PrfAlgorithm;

/**
 * Builds the implementation of a negotiated transform: ciphers, integrity, PRFs and the MODP groups on
 * the JDK's JCA; the ECP groups and Curve25519 on Bouncy Castle's curve arithmetic, which measured
 * faster than the JDK 17 providers (docs/benchmarks.md, "Measured choices in the engine").
 */
public final class CryptoFactory {

    private CryptoFactory() {
    }

    /**
     * @param keyBits 128 or 256 for AES (192 too), 256 for ChaCha20-Poly1305
     * @throws IllegalArgumentException for a key length the algorithm does not have
     */
    public static IkeCipher cipher(EncryptionAlgorithm algorithm, int keyBits) {
        switch (algorithm) {
            case AES_CBC:
            case AES_GCM_16:
                if (keyBits != 128 && keyBits != 192 && keyBits != 256) {
                    throw new IllegalArgumentException(algorithm + " with a " + keyBits + "-bit key");
                }
                return algorithm == EncryptionAlgorithm.AES_CBC ? new AesCbcCipher(keyBits)
                        : new AeadCipher(algorithm, keyBits);
            case CHACHA20_POLY1305:
                if (keyBits != 256) {
                    throw new IllegalArgumentException(algorithm + " with a " + keyBits + "-bit key");
                }
                return new AeadCipher(algorithm, keyBits);
            default:
                throw new IllegalArgumentException("unsupported " + algorithm);
        }
    }

    /** The integrity transform, or {@code null} for {@link IntegrityAlgorithm#NONE}. */
    public static IkeIntegrity integrity(IntegrityAlgorithm algorithm) {
        return algorithm == IntegrityAlgorithm.NONE ? null : new HmacIntegrity(algorithm);
    }

    public static Prf prf(PrfAlgorithm algorithm) {
        return new HmacPrf(algorithm);
    }

    /** A fresh key pair for one exchange. */
    public static KeyExchange keyExchange(KeyExchangeMethod method, SecureRandom random) {
        switch (method) {
            case MODP_2048:
            case MODP_3072:
                return new ModpKeyExchange(method, random);
            case ECP_256:
            case ECP_384:
                return new EcpKeyExchange(method, random);
            case CURVE25519:
                return new Curve25519KeyExchange(random);
            default:
                throw new IllegalArgumentException("unsupported " + method);
        }
    }
}
