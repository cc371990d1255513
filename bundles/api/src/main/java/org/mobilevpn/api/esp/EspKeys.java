package org.mobilevpn.api.esp;

import java.util.Arrays;

/**
 * The key material of one ESP SA: encryption key, salt (AEAD only) and integrity key (non-AEAD only).
 *
 * <p>Holds private copies: the constructor copies its arguments and each accessor returns a fresh copy
 * that the caller should wipe after use. {@link #close()} overwrites this object's copies with zeros;
 * afterwards the accessors throw {@link IllegalStateException}. {@link #toString()} shows lengths only.
 * Not a record because a record cannot carry the closed flag; it is immutable until closed.
 */
public final class EspKeys implements AutoCloseable {

    private static final byte[] NONE = new byte[0];

    private final byte[] encryptionKey;
    private final byte[] salt;
    private final byte[] integrityKey;
    private volatile boolean closed;

    /**
     * Copies the arguments.
     *
     * @param encryptionKey cipher key without salt (RFC 7296 §2.17 KEYMAT)
     * @param salt          AEAD salt (RFC 4106 §8.1, RFC 7634 §2); null or empty for non-AEAD transforms
     * @param integrityKey  HMAC key (RFC 4868 §2.1.1); null or empty for AEAD transforms
     */
    public EspKeys(byte[] encryptionKey, byte[] salt, byte[] integrityKey) {
        if (encryptionKey == null || encryptionKey.length == 0) {
            throw new IllegalArgumentException("encryption key missing");
        }
        this.encryptionKey = encryptionKey.clone();
        this.salt = salt == null ? NONE : salt.clone();
        this.integrityKey = integrityKey == null ? NONE : integrityKey.clone();
    }

    /**
     * Splits the encryption part of IKEv2 KEYMAT (RFC 7296 §2.17): for AEAD the cipher key is
     * immediately followed by the salt (RFC 4106 §8.1, RFC 7634 §2). The arguments are not modified.
     *
     * @param encryptionKeyAndSalt cipher key followed by the salt (AEAD), or just the cipher key
     * @param integrityKey         HMAC key, or null for AEAD
     */
    public static EspKeys of(EspEncryption encryption, byte[] encryptionKeyAndSalt, byte[] integrityKey) {
        int keyLength = encryption.keyLength();
        if (encryptionKeyAndSalt.length != keyLength + encryption.saltLength()) {
            throw new IllegalArgumentException(encryption + " needs " + (keyLength + encryption.saltLength())
                    + " bytes of key and salt, got " + encryptionKeyAndSalt.length);
        }
        byte[] key = Arrays.copyOfRange(encryptionKeyAndSalt, 0, keyLength);
        byte[] salt = Arrays.copyOfRange(encryptionKeyAndSalt, keyLength, encryptionKeyAndSalt.length);
        try {
            return new EspKeys(key, salt, integrityKey);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(salt, (byte) 0);
        }
    }

    /** A copy of the cipher key; wipe it after use. */
    public byte[] encryptionKey() {
        return copyOf(encryptionKey);
    }

    /** A copy of the AEAD salt (empty for non-AEAD); wipe it after use. */
    public byte[] salt() {
        return copyOf(salt);
    }

    /** A copy of the integrity key (empty for AEAD); wipe it after use. */
    public byte[] integrityKey() {
        return copyOf(integrityKey);
    }

    /** Length of the cipher key in bytes. */
    public int encryptionKeyLength() {
        return encryptionKey.length;
    }

    /** Length of the salt in bytes. */
    public int saltLength() {
        return salt.length;
    }

    /** Length of the integrity key in bytes. */
    public int integrityKeyLength() {
        return integrityKey.length;
    }

    /** True once {@link #close()} has wiped the keys. */
    public boolean isClosed() {
        return closed;
    }

    /** Overwrites this object's key copies with zeros. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(encryptionKey, (byte) 0);
        Arrays.fill(salt, (byte) 0);
        Arrays.fill(integrityKey, (byte) 0);
    }

    private byte[] copyOf(byte[] key) {
        byte[] copy = key.clone();
        if (closed) {
            Arrays.fill(copy, (byte) 0);
            throw new IllegalStateException("ESP keys have been closed");
        }
        return copy;
    }

    /** Lengths only: key bytes never appear in logs. */
    @Override
    public String toString() {
        return "EspKeys[encryptionKey=" + encryptionKey.length + " bytes, salt=" + salt.length
                + " bytes, integrityKey=" + integrityKey.length + " bytes" + (closed ? ", closed" : "") + "]";
    }
}
