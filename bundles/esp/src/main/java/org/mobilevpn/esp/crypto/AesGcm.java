package org.mobilevpn.esp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * AES-GCM authenticated encryption and decryption with a 128-bit tag (NIST SP 800-38D §7.1 GCM-AE,
 * §7.2 GCM-AD) that allocates nothing per message: {@link AesCtrKeystream} for GCTR on the JDK's AES,
 * a {@link Ghash} of our own for the hash. The IV is set before each message ({@link #iv96} for the
 * 96-bit IVs of ESP, {@link #iv} for any length). Decryption verifies the tag over the ciphertext before
 * a single byte of plaintext is written. One instance per key and thread; it owns the key material and
 * wipes it on {@link #close}.
 */
public final class AesGcm implements AutoCloseable {

    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** The tag length this class produces and checks. */
    public static final int TAG_LENGTH = 16;

    private final AesCtrKeystream ctr;
    private final Ghash ghash;
    private long j0Hi;
    private long j0Lo;

    /** @param key 16, 24 or 32 bytes; copied */
    public AesGcm(byte[] key, GhashVariant variant) {
        this.ctr = new AesCtrKeystream(key);
        byte[] h = ctr.hashSubkey();
        try {
            this.ghash = variant.create(h);
        } finally {
            Arrays.fill(h, (byte) 0);
        }
    }

    /** A 96-bit IV given as its first 32 and last 64 bits: J<sub>0</sub> = IV || 0<sup>31</sup> || 1 (§7.1 step 2). */
    public void iv96(int first32, long last64) {
        j0Hi = (long) first32 << 32 | last64 >>> 32;
        j0Lo = last64 << 32 | 1;
    }

    /**
     * An IV of any length: 96 bits as in {@link #iv96}, otherwise J<sub>0</sub> = GHASH(IV || 0<sup>s+64</sup> ||
     * [len(IV)]<sub>64</sub>) (§7.1 step 2).
     */
    public void iv(byte[] iv, int offset, int length) {
        if (length == 12) {
            iv96((int) ((long) BIG_ENDIAN_LONG.get(iv, offset) >>> 32), (long) BIG_ENDIAN_LONG.get(iv, offset + 4));
            return;
        }
        if (length == 0) {
            throw new IllegalArgumentException("GCM needs an IV of at least one byte");
        }
        ghash.reset();
        ghash.updatePadded(iv, offset, length);
        ghash.updateLengths(0, length);
        j0Hi = ghash.high();
        j0Lo = ghash.low();
    }

    /**
     * GCM-AE: out = GCTR(inc<sub>32</sub>(J<sub>0</sub>), in), tag = E(K, J<sub>0</sub>) XOR GHASH(A, C). In place
     * when {@code in == out} and the offsets are equal.
     */
    public void seal(byte[] aad, int aadOffset, int aadLength, byte[] in, int inOffset, byte[] out, int outOffset,
                     int length, byte[] tag, int tagOffset) {
        ctr.start(j0Hi, j0Lo, length);
        ctr.xor(in, inOffset, out, outOffset, length);
        hash(aad, aadOffset, aadLength, out, outOffset, length);
        BIG_ENDIAN_LONG.set(tag, tagOffset, ctr.maskHigh() ^ ghash.high());
        BIG_ENDIAN_LONG.set(tag, tagOffset + 8, ctr.maskLow() ^ ghash.low());
    }

    /**
     * GCM-AD: checks the tag (in time independent of where it differs) and only then decrypts.
     *
     * @return false if the tag does not match; then nothing was written to {@code out}
     */
    public boolean open(byte[] aad, int aadOffset, int aadLength, byte[] in, int inOffset, int length,
                        byte[] tag, int tagOffset, byte[] out, int outOffset) {
        ctr.start(j0Hi, j0Lo, length);
        hash(aad, aadOffset, aadLength, in, inOffset, length);
        long diff = (ctr.maskHigh() ^ ghash.high() ^ (long) BIG_ENDIAN_LONG.get(tag, tagOffset))
                | (ctr.maskLow() ^ ghash.low() ^ (long) BIG_ENDIAN_LONG.get(tag, tagOffset + 8));
        if (diff != 0) {
            return false;
        }
        ctr.xor(in, inOffset, out, outOffset, length);
        return true;
    }

    private void hash(byte[] aad, int aadOffset, int aadLength, byte[] ciphertext, int offset, int length) {
        ghash.reset();
        ghash.updatePadded(aad, aadOffset, aadLength);
        ghash.updatePadded(ciphertext, offset, length);
        ghash.updateLengths(aadLength, length);
    }

    /** Wipes the key copy, the hash subkey tables and the last keystream. */
    @Override
    public void close() {
        ctr.close();
        ghash.wipe();
        j0Hi = j0Lo = 0;
    }
}
