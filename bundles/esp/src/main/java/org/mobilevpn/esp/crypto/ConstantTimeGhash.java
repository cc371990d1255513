package org.mobilevpn.esp.crypto;

/**
 * GHASH (NIST SP 800-38D §6.3-6.4) without secret-dependent memory access or branches: the carry-less
 * product is built from ordinary 64-bit integer multiplications ("multiplication with holes"), the
 * reduction modulo x<sup>128</sup> + x<sup>7</sup> + x<sup>2</sup> + x + 1 from shifts and XORs.
 *
 * <p>How a 64x64-bit carry-less product is computed: both operands are split into four interleaved
 * parts holding every fourth bit (masks 0x1111..., 0x2222..., ...). An integer product of two parts
 * sums, in each result column, at most 15 one-bits among the low 64 bits (16 only where the excess
 * carries out of the word), and the sum of one column cannot reach the next column of the same residue
 * class four bits up; so masking the integer product to its residue class yields the XOR (carry-less)
 * sum exactly. Sixteen multiplications give the low 64 bits of the product; the high bits are the
 * low bits of the product of the bit-reversed operands, reversed again. The 128x128-bit product uses
 * three such 64x64 products (Karatsuba).
 *
 * <p>Field elements are bit-reflected (bit 63 of the high word is x<sup>0</sup>), so the integer
 * carry-less product of the two words is the reflected polynomial product shifted right by one; shifting
 * it back and folding the upper half with x<sup>128</sup> = 1 + x + x<sup>2</sup> + x<sup>7</sup> (applied
 * twice, the second time to the 7 bits that overflow) gives the result.
 */
public final class ConstantTimeGhash extends Ghash {

    private static final long M0 = 0x1111111111111111L;
    private static final long M1 = 0x2222222222222222L;
    private static final long M2 = 0x4444444444444444L;
    private static final long M3 = 0x8888888888888888L;

    // The four parts of H's words and of their bit reversals, split once per key.
    private long h1p0, h1p1, h1p2, h1p3;    // high word of H
    private long h0p0, h0p1, h0p2, h0p3;    // low word
    private long h2p0, h2p1, h2p2, h2p3;    // high XOR low (Karatsuba middle term)
    private long h1rp0, h1rp1, h1rp2, h1rp3;
    private long h0rp0, h0rp1, h0rp2, h0rp3;
    private long h2rp0, h2rp1, h2rp2, h2rp3;

    /** @param h the hash subkey H = E(K, 0<sup>128</sup>), 16 bytes; not kept */
    public ConstantTimeGhash(byte[] h) {
        long[] words = subkeyWords(h);
        long h1 = words[0];
        long h0 = words[1];
        long h2 = h1 ^ h0;
        long h1r = Long.reverse(h1);
        long h0r = Long.reverse(h0);
        long h2r = h1r ^ h0r;
        words[0] = 0;
        words[1] = 0;
        h1p0 = h1 & M0; h1p1 = h1 & M1; h1p2 = h1 & M2; h1p3 = h1 & M3;
        h0p0 = h0 & M0; h0p1 = h0 & M1; h0p2 = h0 & M2; h0p3 = h0 & M3;
        h2p0 = h2 & M0; h2p1 = h2 & M1; h2p2 = h2 & M2; h2p3 = h2 & M3;
        h1rp0 = h1r & M0; h1rp1 = h1r & M1; h1rp2 = h1r & M2; h1rp3 = h1r & M3;
        h0rp0 = h0r & M0; h0rp1 = h0r & M1; h0rp2 = h0r & M2; h0rp3 = h0r & M3;
        h2rp0 = h2r & M0; h2rp1 = h2r & M1; h2rp2 = h2r & M2; h2rp3 = h2r & M3;
    }

    /** Low 64 bits of the carry-less product of x and y, y given as its four parts. */
    private static long clmulLow(long x, long y0, long y1, long y2, long y3) {
        long x0 = x & M0;
        long x1 = x & M1;
        long x2 = x & M2;
        long x3 = x & M3;
        long z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
        long z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
        long z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
        long z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
        return (z0 & M0) | (z1 & M1) | (z2 & M2) | (z3 & M3);
    }

    @Override
    void multiplyBlock(long xHi, long xLo) {
        long a1 = yHi ^ xHi;
        long a0 = yLo ^ xLo;
        long a2 = a1 ^ a0;
        long a1r = Long.reverse(a1);
        long a0r = Long.reverse(a0);
        long a2r = a1r ^ a0r;
        // Each 64x64 product P as (P >>> 63, low 64 bits): exactly the two words of P << 1.
        long hl = clmulLow(a1, h1p0, h1p1, h1p2, h1p3);
        long hr = Long.reverse(clmulLow(a1r, h1rp0, h1rp1, h1rp2, h1rp3));
        long ll = clmulLow(a0, h0p0, h0p1, h0p2, h0p3);
        long lr = Long.reverse(clmulLow(a0r, h0rp0, h0rp1, h0rp2, h0rp3));
        long ml = clmulLow(a2, h2p0, h2p1, h2p2, h2p3) ^ hl ^ ll;
        long mr = Long.reverse(clmulLow(a2r, h2rp0, h2rp1, h2rp2, h2rp3)) ^ hr ^ lr;
        // The 256-bit product, shifted left by one: q3 (x^0..x^63) .. q0 (x^192..x^255).
        long q3 = hr;
        long q2 = (hl << 1) ^ mr;
        long q1 = lr ^ (ml << 1);
        long q0 = ll << 1;
        // Fold D = (q1, q0), the coefficients of x^128..x^255, with x^128 = 1 + x + x^2 + x^7; the bits that
        // D·(x + x^2 + x^7) pushes past x^127 (from the low end of q0) are folded a second time.
        long e = (q0 << 63) ^ (q0 << 62) ^ (q0 << 57);
        long f = q1 ^ e;
        yHi = q3 ^ f ^ (f >>> 1) ^ (f >>> 2) ^ (f >>> 7);
        yLo = q2 ^ q0 ^ (q0 >>> 1) ^ (q0 >>> 2) ^ (q0 >>> 7) ^ (q1 << 63) ^ (q1 << 62) ^ (q1 << 57);
    }

    @Override
    public void wipe() {
        h1p0 = h1p1 = h1p2 = h1p3 = 0;
        h0p0 = h0p1 = h0p2 = h0p3 = 0;
        h2p0 = h2p1 = h2p2 = h2p3 = 0;
        h1rp0 = h1rp1 = h1rp2 = h1rp3 = 0;
        h0rp0 = h0rp1 = h0rp2 = h0rp3 = 0;
        h2rp0 = h2rp1 = h2rp2 = h2rp3 = 0;
        clearState();
    }
}
