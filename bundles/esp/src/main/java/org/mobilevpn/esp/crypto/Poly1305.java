package org.mobilevpn.esp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Poly1305 one-time authenticator of RFC 8439 §2.5: the accumulator and r in five 26-bit limbs held
 * in longs (products stay below 2^58), the final reduction mod 2^130-5 without branches on secret data.
 * Reused per packet through {@link #init}; no allocation.
 */
final class Poly1305 {

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M26 = 0x3ffffff;

    private long r0, r1, r2, r3, r4;
    private long s1, s2, s3, s4;
    private long h0, h1, h2, h3, h4;
    private long pad0, pad1, pad2, pad3;
    private final byte[] partial = new byte[16];
    private int partialLength;

    /** Starts a new tag with the 32-byte one-time key r | s at {@code key[offset]}. */
    void init(byte[] key, int offset) {
        // r with the clamping of RFC 8439 §2.5, split into 26-bit limbs
        r0 = le32(key, offset) & 0x3ffffff;
        r1 = (le32(key, offset + 3) >>> 2) & 0x3ffff03;
        r2 = (le32(key, offset + 6) >>> 4) & 0x3ffc0ff;
        r3 = (le32(key, offset + 9) >>> 6) & 0x3f03fff;
        r4 = (le32(key, offset + 12) >>> 8) & 0x00fffff;
        s1 = r1 * 5;
        s2 = r2 * 5;
        s3 = r3 * 5;
        s4 = r4 * 5;
        h0 = h1 = h2 = h3 = h4 = 0;
        pad0 = le32(key, offset + 16);
        pad1 = le32(key, offset + 20);
        pad2 = le32(key, offset + 24);
        pad3 = le32(key, offset + 28);
        partialLength = 0;
    }

    /** Absorbs bytes. */
    void update(byte[] in, int offset, int length) {
        if (partialLength > 0) {
            int take = Math.min(16 - partialLength, length);
            System.arraycopy(in, offset, partial, partialLength, take);
            partialLength += take;
            offset += take;
            length -= take;
            if (partialLength < 16) {
                return;
            }
            block(partial, 0, 1 << 24);
            partialLength = 0;
        }
        while (length >= 16) {
            block(in, offset, 1 << 24);
            offset += 16;
            length -= 16;
        }
        if (length > 0) {
            System.arraycopy(in, offset, partial, 0, length);
            partialLength = length;
        }
    }

    /** Absorbs zero bytes up to the next 16-byte boundary (the AEAD's pad16, RFC 8439 §2.8). */
    void padTo16() {
        if (partialLength > 0) {
            for (int i = partialLength; i < 16; i++) {
                partial[i] = 0;
            }
            block(partial, 0, 1 << 24);
            partialLength = 0;
        }
    }

    /** Absorbs a 64-bit little-endian value (the AEAD's length fields). */
    void updateLong(long value) {
        byte[] bytes = partial; // only called on a block boundary, see padTo16
        int at = partialLength;
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
        partialLength += 8;
        if (partialLength == 16) {
            block(partial, 0, 1 << 24);
            partialLength = 0;
        }
    }

    private void block(byte[] m, int offset, long hibit) {
        h0 += le32(m, offset) & M26;
        h1 += (le32(m, offset + 3) >>> 2) & M26;
        h2 += (le32(m, offset + 6) >>> 4) & M26;
        h3 += (le32(m, offset + 9) >>> 6) & M26;
        h4 += (le32(m, offset + 12) >>> 8) | hibit;

        long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
        long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
        long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
        long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
        long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

        long c = d0 >>> 26;
        h0 = d0 & M26;
        d1 += c;
        c = d1 >>> 26;
        h1 = d1 & M26;
        d2 += c;
        c = d2 >>> 26;
        h2 = d2 & M26;
        d3 += c;
        c = d3 >>> 26;
        h3 = d3 & M26;
        d4 += c;
        c = d4 >>> 26;
        h4 = d4 & M26;
        h0 += c * 5;
        c = h0 >>> 26;
        h0 &= M26;
        h1 += c;
    }

    /** Finishes the tag and writes its 16 bytes; call {@link #init} before the next one. */
    void finish(byte[] out, int offset) {
        if (partialLength > 0) {
            // RFC 8439 §2.5.1: a short last block gets a 1 byte after it and no 2^128 bit.
            partial[partialLength] = 1;
            for (int i = partialLength + 1; i < 16; i++) {
                partial[i] = 0;
            }
            block(partial, 0, 0);
            partialLength = 0;
        }
        long c = h1 >>> 26;
        h1 &= M26;
        h2 += c;
        c = h2 >>> 26;
        h2 &= M26;
        h3 += c;
        c = h3 >>> 26;
        h3 &= M26;
        h4 += c;
        c = h4 >>> 26;
        h4 &= M26;
        h0 += c * 5;
        c = h0 >>> 26;
        h0 &= M26;
        h1 += c;

        // g = h + 5 - 2^130; take g if it did not go negative (h >= p), without a branch.
        long g0 = h0 + 5;
        c = g0 >>> 26;
        g0 &= M26;
        long g1 = h1 + c;
        c = g1 >>> 26;
        g1 &= M26;
        long g2 = h2 + c;
        c = g2 >>> 26;
        g2 &= M26;
        long g3 = h3 + c;
        c = g3 >>> 26;
        g3 &= M26;
        long g4 = h4 + c - (1L << 26);
        long useG = ~(g4 >> 63); // all ones if g4 >= 0
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);
        h3 = (h3 & ~useG) | (g3 & useG);
        h4 = (h4 & ~useG) | (g4 & useG & M26);

        // h mod 2^128 as four 32-bit words, plus s (the pad)
        long w0 = (h0 | (h1 << 26)) & 0xffffffffL;
        long w1 = ((h1 >>> 6) | (h2 << 20)) & 0xffffffffL;
        long w2 = ((h2 >>> 12) | (h3 << 14)) & 0xffffffffL;
        long w3 = ((h3 >>> 18) | (h4 << 8)) & 0xffffffffL;
        long f = w0 + pad0;
        LE_INT.set(out, offset, (int) f);
        f = w1 + pad1 + (f >>> 32);
        LE_INT.set(out, offset + 4, (int) f);
        f = w2 + pad2 + (f >>> 32);
        LE_INT.set(out, offset + 8, (int) f);
        f = w3 + pad3 + (f >>> 32);
        LE_INT.set(out, offset + 12, (int) f);
    }

    private static long le32(byte[] b, int offset) {
        return ((int) LE_INT.get(b, offset)) & 0xffffffffL;
    }

    /** Overwrites key and state. */
    void wipe() {
        r0 = r1 = r2 = r3 = r4 = s1 = s2 = s3 = s4 = 0;
        h0 = h1 = h2 = h3 = h4 = 0;
        pad0 = pad1 = pad2 = pad3 = 0;
        java.util.Arrays.fill(partial, (byte) 0);
    }
}
