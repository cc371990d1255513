package org.mobilevpn.esp.crypto;

import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/** A candidate kept for comparison (tests and benchmarks only): ChaCha20-Poly1305 for ESP (RFC 7634) through the JDK's "ChaCha20-Poly1305" cipher (RFC 8439). */
public final class JcaChaCha20Poly1305Cipher extends JcaAeadCipher {

    /**
     * @param key        32 bytes
     * @param salt       4 bytes (RFC 7634 §2)
     * @param esn        include the high 32 sequence bits in the AAD (RFC 7634 §2.1)
     * @param encrypting true for an outbound SA
     */
    public JcaChaCha20Poly1305Cipher(byte[] key, byte[] salt, boolean esn, boolean encrypting) {
        super("ChaCha20-Poly1305", "ChaCha20", key, salt, esn, encrypting);
        if (key.length != 32) {
            throw new IllegalArgumentException("ChaCha20 key must be 32 bytes");
        }
    }

    @Override
    AlgorithmParameterSpec parameters(byte[] nonce) {
        return new IvParameterSpec(nonce);
    }
}
