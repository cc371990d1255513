package org.mobilevpn.ike.crypto;

import java.security.GeneralSecurityException;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;

/**
 * An encryption transform as the SK payload uses it (RFC 7296 §3.14, RFC 5282 for AEAD). Stateless:
 * the key material (cipher key followed by the salt for AEAD) is passed on every call.
 */
public interface IkeCipher {

    /** The transform with its key size. */
    EncryptionAlgorithm algorithm();

    /** Octets of key material taken from prf+: the key, plus the salt for AEAD (RFC 5282 §7.1). */
    int keyMaterialLength();

    /** Octets of explicit IV carried in the SK payload. */
    int ivLength();

    /** Alignment of plaintext plus padding plus pad length; 1 when any length works. */
    int blockSize();

    /** Octets of AEAD authentication tag; 0 for a cipher that needs a separate integrity transform. */
    int icvLength();

    default boolean isAead() {
        return algorithm().isAead();
    }

    /**
     * Encrypts {@code plaintext} (already padded to {@link #blockSize()}); for AEAD the result ends
     * with the tag computed over {@code aad} and the ciphertext. {@code aad} is ignored otherwise.
     */
    byte[] encrypt(byte[] keyMaterial, byte[] iv, byte[] plaintext, byte[] aad) throws GeneralSecurityException;

    /**
     * Decrypts; for AEAD {@code ciphertext} includes the tag and a mismatch throws
     * {@link javax.crypto.AEADBadTagException}.
     */
    byte[] decrypt(byte[] keyMaterial, byte[] iv, byte[] ciphertext, int offset, int length, byte[] aad)
            throws GeneralSecurityException;
}
