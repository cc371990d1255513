package org.mobilevpn.api.ipsec;

import java.util.Objects;

/**
 * The key material of one ESP SA (RFC 7296 §2.17 KEYMAT of one direction): encryption key, salt (AEAD
 * only) and integrity key (without AEAD only), each an owned {@link SecretBytes}. {@link #close()} wipes
 * them; {@link #toString()} shows lengths only.
 *
 * @param encryptionKey cipher key without salt
 * @param salt          AEAD salt (RFC 4106 §8.1, RFC 7634 §2); empty without AEAD
 * @param integrityKey  HMAC key (RFC 4868 §2.1.1); empty with AEAD
 */
public record EspKeys(SecretBytes encryptionKey, SecretBytes salt, SecretBytes integrityKey) implements AutoCloseable {

    /** Rejects a missing or empty encryption key. */
    public EspKeys {
        Objects.requireNonNull(encryptionKey, "encryptionKey");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(integrityKey, "integrityKey");
        if (encryptionKey.isEmpty()) {
            throw new IllegalArgumentException("encryption key missing");
        }
    }

    /** Copies of the arrays (null or empty salt / integrity key: none); the caller keeps and wipes its own. */
    public static EspKeys copyOf(byte[] encryptionKey, byte[] salt, byte[] integrityKey) {
        return new EspKeys(SecretBytes.copyOf(encryptionKey), orEmpty(salt), orEmpty(integrityKey));
    }

    /**
     * Splits the encryption part of IKEv2 KEYMAT: for AEAD the cipher key is immediately followed by the
     * salt (RFC 4106 §8.1, RFC 7634 §2). The arguments are copied, not modified.
     *
     * @param encryptionKeyAndSalt cipher key followed by the salt (AEAD), or just the cipher key
     * @param integrityKey         HMAC key, or null with AEAD
     */
    public static EspKeys of(EncryptionAlgorithm encryption, byte[] encryptionKeyAndSalt, byte[] integrityKey) {
        int keyLength = encryption.keyLength();
        if (encryptionKeyAndSalt.length != keyLength + encryption.saltLength()) {
            throw new IllegalArgumentException(encryption + " needs " + (keyLength + encryption.saltLength())
                    + " bytes of key and salt, got " + encryptionKeyAndSalt.length);
        }
        return new EspKeys(SecretBytes.copyOf(encryptionKeyAndSalt, 0, keyLength),
                SecretBytes.copyOf(encryptionKeyAndSalt, keyLength, encryption.saltLength()), orEmpty(integrityKey));
    }

    private static SecretBytes orEmpty(byte[] octets) {
        return octets == null || octets.length == 0 ? SecretBytes.empty() : SecretBytes.copyOf(octets);
    }

    /** Whether the lengths are what these algorithms need. */
    public boolean fit(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity) {
        return encryptionKey.length() == encryption.keyLength() && salt.length() == encryption.saltLength()
                && integrityKey.length() == integrity.keyLength();
    }

    /** An independent copy that must be closed on its own. */
    public EspKeys copy() {
        return new EspKeys(encryptionKey.copy(), salt.copy(), integrityKey.copy());
    }

    /** True once {@link #close()} has wiped the keys. */
    public boolean isClosed() {
        return encryptionKey.isWiped();
    }

    /** Wipes all three. Idempotent. */
    @Override
    public void close() {
        encryptionKey.close();
        salt.close();
        integrityKey.close();
    }

    /** Lengths only: key bytes never appear in logs. */
    @Override
    public String toString() {
        return "EspKeys[encryptionKey=" + encryptionKey.length() + " bytes, salt=" + salt.length()
                + " bytes, integrityKey=" + integrityKey.length() + " bytes" + (isClosed() ? ", closed" : "") + "]";
    }

    /** Identity: two key records are never "equal" by content (that would compare secrets). */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
