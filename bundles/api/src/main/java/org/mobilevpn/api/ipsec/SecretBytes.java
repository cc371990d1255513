package org.mobilevpn.api.ipsec;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The one holder of secret octets in mobilevpn (a key, a salt, a pre-shared key): it owns its copy,
 * wipes it on {@link #close()} and never prints it ({@link #toString()} shows only the length). Once
 * closed every read fails, so a use after wipe is a bug that shows instead of silently using zeros.
 * Records that hold keys ({@link EspKeys}, the IKE engine's SA records) are made of these and close them.
 */
public final class SecretBytes implements AutoCloseable {
    private static final SecretBytes EMPTY = new SecretBytes(new byte[0]);

    private final byte[] octets;
    private volatile boolean wiped;

    private SecretBytes(byte[] octets) {
        this.octets = octets;
    }

    /** A copy of {@code octets}; the caller may wipe its own array afterwards. */
    public static SecretBytes copyOf(byte[] octets) {
        return new SecretBytes(octets.clone());
    }

    /** A copy of {@code length} octets of {@code source} from {@code offset}. */
    public static SecretBytes copyOf(byte[] source, int offset, int length) {
        return new SecretBytes(Arrays.copyOfRange(source, offset, offset + length));
    }

    /** Zero octets, for an algorithm that has no such key (e.g. no integrity key with an AEAD cipher). */
    public static SecretBytes empty() {
        return EMPTY;
    }

    public int length() {
        return octets.length;
    }

    public boolean isEmpty() {
        return octets.length == 0;
    }

    /** A fresh copy of the octets; the caller owns (and should wipe) it. */
    public byte[] toByteArray() {
        checkNotWiped();
        return octets.clone();
    }

    /** Copies the octets into {@code target} at {@code offset} without another intermediate array. */
    public void copyTo(byte[] target, int offset) {
        checkNotWiped();
        System.arraycopy(octets, 0, target, offset, octets.length);
    }

    /** An independent copy that must be closed on its own. */
    public SecretBytes copy() {
        checkNotWiped();
        return octets.length == 0 ? EMPTY : new SecretBytes(octets.clone());
    }

    /** Constant-time comparison with plain octets. */
    public boolean contentEquals(byte[] other) {
        checkNotWiped();
        return MessageDigest.isEqual(octets, other);
    }

    public boolean isWiped() {
        return wiped;
    }

    /** Overwrites the octets with zeros. Idempotent. */
    @Override
    public void close() {
        if (octets.length == 0) {
            return; // the shared empty instance has nothing to wipe and must stay usable
        }
        Arrays.fill(octets, (byte) 0);
        wiped = true;
    }

    private void checkNotWiped() {
        if (wiped) {
            throw new IllegalStateException("secret was wiped");
        }
    }

    @Override
    public String toString() {
        return wiped ? "SecretBytes[wiped]" : "SecretBytes[" + octets.length + " bytes]";
    }
}
