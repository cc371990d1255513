package org.mobilevpn.vnic;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): one's complement sum of 16-bit words, folded. Sums 8 bytes
 * at a time into a long (the carries land in the upper bits and are folded at the end), which
 * is what makes per-segment checksums cheap enough for the packet path.
 */
final class InternetChecksum {
    private InternetChecksum() {
    }

    /** Adds {@code length} bytes of {@code b} from absolute index {@code from} (big-endian words) to {@code sum}. */
    static long add(long sum, ByteBuffer b, int from, int length) {
        int i = from;
        int end = from + length;
        long s = sum;
        // 32-bit chunks into a 64-bit accumulator: 2^32 additions before any overflow.
        while (end - i >= 4) {
            s += b.getInt(i) & 0xffffffffL;
            i += 4;
        }
        if (end - i >= 2) {
            s += b.getShort(i) & 0xffff;
            i += 2;
        }
        if (i < end) {
            s += (b.get(i) & 0xff) << 8;
        }
        return s;
    }

    /** Folds a sum into 16 bits (not yet complemented). */
    static int fold(long sum) {
        long s = sum;
        s = (s & 0xffffffffL) + (s >>> 32);
        s = (s & 0xffffffffL) + (s >>> 32);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /**
     * The checksum field value for a sum: complemented, and 0xffff instead of 0 (both are zero in
     * one's complement; UDP reserves 0 for "no checksum", RFC 768, RFC 8200 §8.1).
     */
    static short finish(long sum) {
        int c = ~fold(sum) & 0xffff;
        return (short) (c == 0 ? 0xffff : c);
    }
}
