package org.mobilevpn.esp.crypto;

import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.GCMParameterSpec;

/** AES-GCM with a 16-byte ICV for ESP (RFC 4106) through the JDK (AES-NI and CLMUL intrinsics). */
public final class JcaAesGcmCipher extends JcaAeadCipher {

    /**
     * @param key        16 or 32 bytes
     * @param salt       4 bytes (RFC 4106 §8.1)
     * @param esn        include the high 32 sequence bits in the AAD (RFC 4106 §5)
     * @param encrypting true for an outbound SA
     */
    public JcaAesGcmCipher(byte[] key, byte[] salt, boolean esn, boolean encrypting) {
        super("AES/GCM/NoPadding", "AES", key, salt, esn, encrypting);
        if (key.length != 16 && key.length != 32) {
            throw new IllegalArgumentException("AES-GCM key must be 16 or 32 bytes");
        }
    }

    @Override
    AlgorithmParameterSpec parameters(byte[] nonce) {
        return new GCMParameterSpec(TAG_LENGTH * 8, nonce);
    }
}
