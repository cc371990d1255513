package org.mobilevpn.esp.crypto;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A raw secret key whose bytes we own and can wipe ({@link javax.crypto.spec.SecretKeySpec} cannot be
 * destroyed on Java 17). JCA providers copy what they need from {@link #getEncoded()}; those internal
 * copies (e.g. expanded AES round keys) are beyond our reach and die with the cipher object.
 */
final class WipeableSecretKey implements SecretKey {

    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final byte[] key;
    private volatile boolean destroyed;

    /** Takes a copy of {@code key}. */
    WipeableSecretKey(String algorithm, byte[] key) {
        this.algorithm = algorithm;
        this.key = key.clone();
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("key destroyed");
        }
        return key.clone();
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return algorithm + " key (" + key.length + " bytes)";
    }
}
