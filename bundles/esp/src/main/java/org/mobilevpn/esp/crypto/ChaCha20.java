package org.mobilevpn.esp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The ChaCha20 stream cipher of RFC 8439 §2.3-2.4 (32-bit block counter, 96-bit nonce). Keeps the key
 * as eight words and XORs the key stream into byte arrays, 64 bytes at a time with little-endian word
 * access; no allocation per call. In place is allowed (each input word is read before its output word
 * is written).
 */
final class ChaCha20 {

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    // "expand 32-byte k" (RFC 8439 §2.3)
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    private final int[] key = new int[8];
    private final int[] keyStream = new int[16];
    private final byte[] keyStreamBytes = new byte[64];

    /** @param key 32 bytes at {@code offset} */
    ChaCha20(byte[] key, int offset) {
        for (int i = 0; i < 8; i++) {
            this.key[i] = (int) LE_INT.get(key, offset + 4 * i);
        }
    }

    /**
     * XORs {@code length} bytes of key stream, starting at block {@code counter}, into {@code out}.
     *
     * @param n0 n1 n2 the nonce as three little-endian words
     */
    void xor(byte[] in, int inOffset, byte[] out, int outOffset, int length, int counter, int n0, int n1, int n2) {
        int done = 0;
        while (length - done >= 64) {
            block(counter++, n0, n1, n2);
            for (int i = 0; i < 16; i++) {
                int word = (int) LE_INT.get(in, inOffset + done + 4 * i);
                LE_INT.set(out, outOffset + done + 4 * i, word ^ keyStream[i]);
            }
            done += 64;
        }
        if (done < length) {
            block(counter, n0, n1, n2);
            for (int i = 0; i < 16; i++) {
                LE_INT.set(keyStreamBytes, 4 * i, keyStream[i]);
            }
            for (int i = 0; done + i < length; i++) {
                out[outOffset + done + i] = (byte) (in[inOffset + done + i] ^ keyStreamBytes[i]);
            }
        }
    }

    /** The first 32 bytes of block {@code counter}: the Poly1305 one-time key (RFC 8439 §2.6). */
    void firstBytesOfBlock(byte[] out, int outOffset, int counter, int n0, int n1, int n2) {
        block(counter, n0, n1, n2);
        for (int i = 0; i < 8; i++) {
            LE_INT.set(out, outOffset + 4 * i, keyStream[i]);
        }
    }

    /** The ChaCha20 block function (RFC 8439 §2.3): 20 rounds, then the input added back. */
    private void block(int counter, int n0, int n1, int n2) {
        int k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3], k4 = key[4], k5 = key[5], k6 = key[6], k7 = key[7];
        int x0 = C0, x1 = C1, x2 = C2, x3 = C3;
        int x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
        int x12 = counter, x13 = n0, x14 = n1, x15 = n2;
        for (int round = 0; round < 10; round++) {
            // column round
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
            // diagonal round
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        int[] s = keyStream;
        s[0] = x0 + C0; s[1] = x1 + C1; s[2] = x2 + C2; s[3] = x3 + C3;
        s[4] = x4 + k0; s[5] = x5 + k1; s[6] = x6 + k2; s[7] = x7 + k3;
        s[8] = x8 + k4; s[9] = x9 + k5; s[10] = x10 + k6; s[11] = x11 + k7;
        s[12] = x12 + counter; s[13] = x13 + n0; s[14] = x14 + n1; s[15] = x15 + n2;
    }

    /** Overwrites key and key stream. */
    void wipe() {
        Arrays.fill(key, 0);
        Arrays.fill(keyStream, 0);
        Arrays.fill(keyStreamBytes, (byte) 0);
    }
}
