package org.mobilevpn.esp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * The counter-mode half of GCM, GCTR (NIST SP 800-38D §6.5), on the JDK's AES block cipher: the AES
 * cipher is initialised once per key in ECB mode, and a packet's counter blocks J<sub>0</sub>,
 * inc<sub>32</sub>(J<sub>0</sub>), ... are written into a reused array and encrypted with one
 * {@code update} call (heap arrays in and out, so the JDK's AES intrinsic runs and nothing is allocated).
 * Re-initialising a GCM or CTR cipher per packet, the only way the JCA offers to change the IV, allocates.
 *
 * <p>{@link #start} computes E(K, J<sub>0</sub>) (the tag mask of §7.1 step 6) together with the first
 * batch of keystream; {@link #xor} then applies the keystream, producing further batches when a packet
 * is longer than one batch. One instance per SA and direction, used by one thread at a time.
 */
public final class AesCtrKeystream implements AutoCloseable {

    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle NATIVE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** Keystream bytes per AES call: a 1500-byte packet in one call, plus the block for J0. */
    static final int BATCH = 2048;

    private final Cipher ecb;
    private final WipeableSecretKey key;
    private final byte[] counters = new byte[BATCH + 16];
    private final byte[] keystream = new byte[BATCH + 16];
    private long counterHi;
    private long counterLo;
    /** E(K, J0), kept apart because later batches overwrite the keystream array. */
    private long maskHi;
    private long maskLo;
    /** Next unused keystream byte in {@link #keystream}, and the end of what the last batch produced. */
    private int used;
    private int available;

    /** @param key 16, 24 or 32 bytes (AES-128/192/256); copied */
    public AesCtrKeystream(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("AES key must be 16, 24 or 32 bytes");
        }
        this.key = new WipeableSecretKey("AES", key);
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, this.key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES not available", e);
        }
    }

    /** The hash subkey H = E(K, 0<sup>128</sup>) (§6.4, §7.1 step 1) into a new 16-byte array (once per key). */
    public byte[] hashSubkey() {
        byte[] h = new byte[16];
        try {
            ecb.update(new byte[16], 0, 16, h, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return h;
    }

    /**
     * Starts a message with pre-counter block J<sub>0</sub> = (j0Hi, j0Lo): computes E(K, J<sub>0</sub>) and the
     * keystream for up to {@link #BATCH} bytes of the message, which starts at inc<sub>32</sub>(J<sub>0</sub>).
     *
     * @param messageLength bytes that {@link #xor} will process (may be 0)
     */
    public void start(long j0Hi, long j0Lo, int messageLength) {
        counterHi = j0Hi;
        counterLo = j0Lo;
        fill(16 + Math.min(messageLength, BATCH));
        maskHi = (long) BIG_ENDIAN_LONG.get(keystream, 0);
        maskLo = (long) BIG_ENDIAN_LONG.get(keystream, 8);
        used = 16;
    }

    /** High 64 bits of E(K, J<sub>0</sub>), valid after {@link #start}. */
    public long maskHigh() {
        return maskHi;
    }

    /** Low 64 bits of E(K, J<sub>0</sub>). */
    public long maskLow() {
        return maskLo;
    }

    /**
     * out = in XOR keystream, continuing where the previous call stopped. In place if {@code in == out}
     * and {@code inOffset == outOffset}; other overlaps are not allowed.
     */
    public void xor(byte[] in, int inOffset, byte[] out, int outOffset, int length) {
        while (length > 0) {
            if (used == available) {
                fill(Math.min(length, BATCH));
                used = 0;
            }
            int n = Math.min(length, available - used);
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long k = (long) NATIVE_LONG.get(keystream, used + i);
                NATIVE_LONG.set(out, outOffset + i, (long) NATIVE_LONG.get(in, inOffset + i) ^ k);
            }
            for (; i < n; i++) {
                out[outOffset + i] = (byte) (in[inOffset + i] ^ keystream[used + i]);
            }
            used += n;
            inOffset += n;
            outOffset += n;
            length -= n;
        }
    }

    /** Encrypts the next ceil(bytes/16) counter blocks into {@link #keystream}, advancing the counter (inc<sub>32</sub>). */
    private void fill(int bytes) {
        int blocks = (bytes + 15) >>> 4;
        long fixed = counterLo & 0xFFFFFFFF00000000L;
        int counter = (int) counterLo;
        for (int b = 0; b < blocks; b++) {
            BIG_ENDIAN_LONG.set(counters, b << 4, counterHi);
            BIG_ENDIAN_LONG.set(counters, (b << 4) + 8, fixed | ((counter + b) & 0xFFFFFFFFL));
        }
        counterLo = fixed | ((counter + blocks) & 0xFFFFFFFFL);
        try {
            ecb.update(counters, 0, blocks << 4, keystream, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // the arrays are sized for a full batch
        }
        available = blocks << 4;
    }

    /** Wipes our key copy and the last keystream; the JDK's expanded round keys die with its cipher object. */
    @Override
    public void close() {
        key.destroy();
        Arrays.fill(keystream, (byte) 0);
        Arrays.fill(counters, (byte) 0);
        used = available = 0;
        maskHi = maskLo = 0;
    }
}
