package org.mobilevpn.ike.crypto;

import java.security.SecureRandom;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.PrfAlgorithm;

/**
 * Builds the implementation of a negotiated transform: ciphers, integrity, PRFs and the MODP groups on
 * the JDK's JCA; the ECP groups and Curve25519 on Bouncy Castle's curve arithmetic, which measured
 * faster than the JDK 17 providers (docs/benchmarks.md, "Measured choices in the engine").
 */
public final class CryptoFactory {

    private CryptoFactory() {
    }

    /** The SK payload's cipher for a transform with its key size. */
    public static IkeCipher cipher(EncryptionAlgorithm algorithm) {
        return algorithm.isAead() ? new AeadCipher(algorithm) : new AesCbcCipher(algorithm);
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
