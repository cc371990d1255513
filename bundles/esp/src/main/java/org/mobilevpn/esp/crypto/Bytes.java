package org.mobilevpn.esp.crypto;

/** Big-endian field access on byte arrays (network byte order, RFC 4303 §2), without ByteBuffer wrappers. */
public final class Bytes {

    private Bytes() {
    }

    /** Writes a 32-bit value big-endian. */
    public static void putInt(byte[] buf, int offset, int value) {
        buf[offset] = (byte) (value >>> 24);
        buf[offset + 1] = (byte) (value >>> 16);
        buf[offset + 2] = (byte) (value >>> 8);
        buf[offset + 3] = (byte) value;
    }

    /** Writes a 64-bit value big-endian. */
    public static void putLong(byte[] buf, int offset, long value) {
        putInt(buf, offset, (int) (value >>> 32));
        putInt(buf, offset + 4, (int) value);
    }

    /** Reads a 32-bit value big-endian. */
    public static int getInt(byte[] buf, int offset) {
        return (buf[offset] & 0xFF) << 24 | (buf[offset + 1] & 0xFF) << 16
                | (buf[offset + 2] & 0xFF) << 8 | (buf[offset + 3] & 0xFF);
    }

    /** Compares two ranges in time independent of where they differ (ICV checks must not leak). */
    public static boolean constantTimeEquals(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= a[aOffset + i] ^ b[bOffset + i];
        }
        return diff == 0;
    }
}
