package org.mobilevpn.esp.crypto;

import java.util.Arrays;

/**
 * GHASH with 64 KB of tables per key: for each of the 16 byte positions p of a block and each byte value
 * b, the product (b · x<sup>8p</sup>) · H is precomputed, so a block costs 16 table look-ups and XORs and no
 * reduction (the table-driven option described in McGrew/Viega, "The Galois/Counter Mode of Operation";
 * NIST SP 800-38D §6.4). The tables belong to one SA and are wiped with it.
 *
 * <p>Not constant time: the table index is (Y XOR X), which depends on H, so a co-resident attacker who
 * can observe this process's cache lines might learn about H. {@link ConstantTimeGhash} avoids that at a
 * measured cost (docs/benchmarks.md, ESP transforms).
 */
public final class TableGhash extends Ghash {

    /** R of SP 800-38D §6.3 Algorithm 1: the reduction x<sup>128</sup> = 1 + x + x<sup>2</sup> + x<sup>7</sup>, in our bit order. */
    private static final long R = 0xE100000000000000L;

    /** 16 positions x 256 values x (hi, lo). */
    private final long[] table = new long[16 * 256 * 2];

    /** @param h the hash subkey H = E(K, 0<sup>128</sup>) (§6.4, §7.1 step 1), 16 bytes; not kept */
    public TableGhash(byte[] h) {
        long[] power = subkeyWords(h); // H · x^n, n = 0..127, computed by repeated multiplication by x
        long hi = power[0];
        long lo = power[1];
        Arrays.fill(power, 0);
        for (int n = 0; n < 128; n++) {
            int p = n >>> 3;
            int bit = 0x80 >>> (n & 7);
            int index = ((p << 8) | bit) << 1;
            table[index] = hi;
            table[index + 1] = lo;
            long carry = -(lo & 1); // all ones if x^127 is set, which multiplication by x folds back via R
            lo = (lo >>> 1) | (hi << 63);
            hi = (hi >>> 1) ^ (R & carry);
        }
        // Every other entry by linearity: T[p][b] = T[p][b without its lowest set bit] XOR T[p][lowest bit].
        for (int p = 0; p < 16; p++) {
            int base = p << 8;
            for (int b = 1; b < 256; b++) {
                int rest = b & (b - 1);
                if (rest != 0) {
                    int lowest = b & -b;
                    int at = (base | b) << 1;
                    table[at] = table[(base | rest) << 1] ^ table[(base | lowest) << 1];
                    table[at + 1] = table[((base | rest) << 1) + 1] ^ table[((base | lowest) << 1) + 1];
                }
            }
        }
    }

    @Override
    void multiplyBlock(long xHi, long xLo) {
        long[] t = table;
        long a = yHi ^ xHi;
        long b = yLo ^ xLo;
        int i0 = ((int) (a >>> 56) & 0xFF) << 1;
        int i1 = (256 | (int) (a >>> 48) & 0xFF) << 1;
        int i2 = (512 | (int) (a >>> 40) & 0xFF) << 1;
        int i3 = (768 | (int) (a >>> 32) & 0xFF) << 1;
        int i4 = (1024 | (int) (a >>> 24) & 0xFF) << 1;
        int i5 = (1280 | (int) (a >>> 16) & 0xFF) << 1;
        int i6 = (1536 | (int) (a >>> 8) & 0xFF) << 1;
        int i7 = (1792 | (int) a & 0xFF) << 1;
        int i8 = (2048 | (int) (b >>> 56) & 0xFF) << 1;
        int i9 = (2304 | (int) (b >>> 48) & 0xFF) << 1;
        int i10 = (2560 | (int) (b >>> 40) & 0xFF) << 1;
        int i11 = (2816 | (int) (b >>> 32) & 0xFF) << 1;
        int i12 = (3072 | (int) (b >>> 24) & 0xFF) << 1;
        int i13 = (3328 | (int) (b >>> 16) & 0xFF) << 1;
        int i14 = (3584 | (int) (b >>> 8) & 0xFF) << 1;
        int i15 = (3840 | (int) b & 0xFF) << 1;
        // Unrolled: 16 independent look-ups, XORed as a balanced tree so the CPU can overlap them.
        yHi = (t[i0] ^ t[i1] ^ t[i2] ^ t[i3]) ^ (t[i4] ^ t[i5] ^ t[i6] ^ t[i7])
                ^ (t[i8] ^ t[i9] ^ t[i10] ^ t[i11]) ^ (t[i12] ^ t[i13] ^ t[i14] ^ t[i15]);
        yLo = (t[i0 + 1] ^ t[i1 + 1] ^ t[i2 + 1] ^ t[i3 + 1]) ^ (t[i4 + 1] ^ t[i5 + 1] ^ t[i6 + 1] ^ t[i7 + 1])
                ^ (t[i8 + 1] ^ t[i9 + 1] ^ t[i10 + 1] ^ t[i11 + 1]) ^ (t[i12 + 1] ^ t[i13 + 1] ^ t[i14 + 1] ^ t[i15 + 1]);
    }

    @Override
    public void wipe() {
        Arrays.fill(table, 0);
        clearState();
    }
}
