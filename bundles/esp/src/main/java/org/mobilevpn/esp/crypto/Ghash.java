package org.mobilevpn.esp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH, the universal hash of GCM (NIST SP 800-38D §6.4): Y<sub>i</sub> = (Y<sub>i-1</sub> XOR X<sub>i</sub>) · H
 * in GF(2<sup>128</sup>). This class feeds the blocks (zero-padding the last partial block of each input, as
 * GCM pads the AAD and the ciphertext separately, §7.1 step 5) and appends the lengths block; subclasses
 * supply the multiplication by the hash subkey H.
 *
 * <p>Field elements are held as two longs read big-endian from the block: bit 63 of {@code hi} is the
 * coefficient of x<sup>0</sup>, bit 0 of {@code lo} that of x<sup>127</sup> (the bit order of §6.3).
 * One instance per SA and direction, used by one thread at a time; it allocates nothing after construction.
 */
public abstract class Ghash {

    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Current value Y, high word (coefficients x^0..x^63). */
    long yHi;
    /** Current value Y, low word (coefficients x^64..x^127). */
    long yLo;

    /** Y = (Y XOR X) · H for one block X = (xHi, xLo). */
    abstract void multiplyBlock(long xHi, long xLo);

    /** Wipes everything derived from H. */
    public abstract void wipe();

    /**
     * Y = (...((Y XOR X<sub>1</sub>) · H XOR X<sub>2</sub>) · H ...) for {@code blocks} whole blocks from {@code offset};
     * a subclass with a faster way for many blocks overrides it.
     */
    void multiplyBlocks(byte[] b, int offset, int blocks) {
        for (int i = offset, end = offset + (blocks << 4); i < end; i += 16) {
            multiplyBlock((long) BIG_ENDIAN_LONG.get(b, i), (long) BIG_ENDIAN_LONG.get(b, i + 8));
        }
    }

    /** Starts a new hash: Y<sub>0</sub> = 0<sup>128</sup> (§6.4 step 2). */
    public void reset() {
        yHi = 0;
        yLo = 0;
    }

    /** Hashes {@code length} bytes, zero-padded to a multiple of 16 bytes (0<sup>v</sup>, 0<sup>u</sup> of §7.1). */
    public final void updatePadded(byte[] b, int offset, int length) {
        int end = offset + length;
        int fullEnd = offset + (length & ~15);
        if (fullEnd > offset) {
            multiplyBlocks(b, offset, length >>> 4);
        }
        if (fullEnd < end) {
            long hi = 0;
            long lo = 0;
            for (int i = fullEnd; i < end; i++) {
                int k = i - fullEnd;
                long v = (long) (b[i] & 0xFF);
                if (k < 8) {
                    hi |= v << (56 - 8 * k);
                } else {
                    lo |= v << (56 - 8 * (k - 8));
                }
            }
            multiplyBlock(hi, lo);
        }
    }

    /** The final block [len(A)]<sub>64</sub> || [len(C)]<sub>64</sub>, lengths in bits (§7.1 step 5). */
    public final void updateLengths(long aadBytes, long textBytes) {
        multiplyBlock(aadBytes << 3, textBytes << 3);
    }

    /** High 64 bits of the hash (first 8 bytes, big-endian). */
    public long high() {
        return yHi;
    }

    /** Low 64 bits of the hash (last 8 bytes, big-endian). */
    public long low() {
        return yLo;
    }

    /** Clears the running value (it depends on H and the data). */
    final void clearState() {
        yHi = 0;
        yLo = 0;
    }

    /** Reads the 16-byte hash subkey H as (hi, lo) and checks its length. */
    static long[] subkeyWords(byte[] h) {
        if (h.length != 16) {
            throw new IllegalArgumentException("the hash subkey H is 16 bytes");
        }
        return new long[] {(long) BIG_ENDIAN_LONG.get(h, 0), (long) BIG_ENDIAN_LONG.get(h, 8)};
    }
}
