package org.mobilevpn.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;

/**
 * Combined-mode ciphers in IKE (RFC 5282): AES-GCM with a 16-octet ICV and ChaCha20-Poly1305
 * (RFC 7634 §4). The 12-octet nonce is the 4-octet salt from the end of the key material followed by
 * the 8-octet explicit IV; the AAD is the IKE header through the SK payload header (RFC 5282 §5.1).
 */
final class AeadCipher implements IkeCipher {
    private static final int SALT = 4;
    private static final int TAG = 16;

    private final EncryptionAlgorithm algorithm;
    private final int keyBits;

    AeadCipher(EncryptionAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.keyBits = algorithm.keyBits();
    }

    @Override
    public EncryptionAlgorithm algorithm() {
        return algorithm;
    }


    @Override
    public int keyMaterialLength() {
        return keyBits / 8 + SALT;
    }

    @Override
    public int ivLength() {
        return 8;
    }

    @Override
    public int blockSize() {
        return 1;
    }

    @Override
    public int icvLength() {
        return TAG;
    }

    @Override
    public byte[] encrypt(byte[] keyMaterial, byte[] iv, byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        Cipher c = cipher(Cipher.ENCRYPT_MODE, keyMaterial, iv);
        c.updateAAD(aad);
        return c.doFinal(plaintext);
    }

    @Override
    public byte[] decrypt(byte[] keyMaterial, byte[] iv, byte[] ciphertext, int offset, int length, byte[] aad)
            throws GeneralSecurityException {
        if (length < TAG) {
            throw new GeneralSecurityException("AEAD ciphertext shorter than its tag");
        }
        Cipher c = cipher(Cipher.DECRYPT_MODE, keyMaterial, iv);
        c.updateAAD(aad);
        return c.doFinal(ciphertext, offset, length);
    }

    private Cipher cipher(int mode, byte[] keyMaterial, byte[] iv) throws GeneralSecurityException {
        int keyLength = keyBits / 8;
        if (keyMaterial.length != keyLength + SALT || iv.length != 8) {
            throw new GeneralSecurityException(algorithm + " key material of " + keyMaterial.length
                    + " octets or IV of " + iv.length);
        }
        byte[] nonce = new byte[12];
        System.arraycopy(keyMaterial, keyLength, nonce, 0, SALT);
        System.arraycopy(iv, 0, nonce, SALT, 8);
        byte[] key = Arrays.copyOf(keyMaterial, keyLength);
        try {
            Cipher c;
            AlgorithmParameterSpec params;
            if (algorithm != EncryptionAlgorithm.CHACHA20_POLY1305) {
                c = Cipher.getInstance("AES/GCM/NoPadding");
                params = new GCMParameterSpec(TAG * 8, nonce);
                c.init(mode, new SecretKeySpec(key, "AES"), params);
            } else {
                c = Cipher.getInstance("ChaCha20-Poly1305");
                params = new IvParameterSpec(nonce);
                c.init(mode, new SecretKeySpec(key, "ChaCha20"), params);
            }
            return c;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
