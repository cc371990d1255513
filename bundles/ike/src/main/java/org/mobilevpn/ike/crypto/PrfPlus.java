package org.mobilevpn.ike.crypto;

import java.util.Arrays;

/**
 * prf+ (RFC 7296 §2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), output T1 | T2 | ...
 * truncated to the requested length; at most 255 iterations.
 */
public final class PrfPlus {

    private PrfPlus() {
    }

    public static byte[] derive(Prf prf, byte[] key, byte[] seed, int length) {
        int blocks = (length + prf.outputLength() - 1) / prf.outputLength();
        if (blocks > 255) {
            throw new IllegalArgumentException("prf+ cannot produce " + length + " octets");
        }
        byte[] out = new byte[blocks * prf.outputLength()];
        byte[] previous = new byte[0];
        for (int n = 1; n <= blocks; n++) {
            byte[] t = prf.compute(key, previous, seed, new byte[] {(byte) n});
            System.arraycopy(t, 0, out, (n - 1) * prf.outputLength(), t.length);
            Arrays.fill(previous, (byte) 0);
            previous = t;
        }
        Arrays.fill(previous, (byte) 0);
        byte[] result = Arrays.copyOf(out, length);
        Arrays.fill(out, (byte) 0);
        return result;
    }
}
