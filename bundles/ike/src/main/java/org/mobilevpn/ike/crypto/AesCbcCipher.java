package org.mobilevpn.ike.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;

/** ENCR_AES_CBC (RFC 3602 as used by RFC 7296 §3.14): random 16-octet IV, 16-octet block alignment. */
final class AesCbcCipher implements IkeCipher {
    private final EncryptionAlgorithm algorithm;
    private final int keyBits;

    AesCbcCipher(EncryptionAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.keyBits = algorithm.keyBits();
    }

    @Override
    public EncryptionAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public int keyMaterialLength() {
        return keyBits / 8;
    }

    @Override
    public int ivLength() {
        return 16;
    }

    @Override
    public int blockSize() {
        return 16;
    }

    @Override
    public int icvLength() {
        return 0;
    }

    @Override
    public byte[] encrypt(byte[] keyMaterial, byte[] iv, byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        return cipher(Cipher.ENCRYPT_MODE, keyMaterial, iv).doFinal(plaintext);
    }

    @Override
    public byte[] decrypt(byte[] keyMaterial, byte[] iv, byte[] ciphertext, int offset, int length, byte[] aad)
            throws GeneralSecurityException {
        if (length % 16 != 0) {
            throw new GeneralSecurityException("CBC ciphertext of " + length + " octets is not block aligned");
        }
        return cipher(Cipher.DECRYPT_MODE, keyMaterial, iv).doFinal(ciphertext, offset, length);
    }

    private Cipher cipher(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
        if (key.length != keyBits / 8) {
            throw new GeneralSecurityException("AES-CBC-" + keyBits + " key of " + key.length + " octets");
        }
        Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return c;
    }
}
