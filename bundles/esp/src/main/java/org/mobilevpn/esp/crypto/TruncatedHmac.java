package org.mobilevpn.esp.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * HMAC-SHA2 truncated to half the hash length (RFC 4868 §2.1 / §2.6): HMAC-SHA-256-128, -384-192 and
 * -512-256. One {@link Mac} and one output array, reused per packet.
 */
public final class TruncatedHmac implements AutoCloseable {

    private final Mac mac;
    private final WipeableSecretKey key;
    private final byte[] full;
    private final byte[] fourBytes = new byte[4];
    private final int icvLength;

    /**
     * @param algorithm JCA name: HmacSHA256, HmacSHA384 or HmacSHA512
     * @param key       the integrity key (RFC 4868 §2.1.1: hash-output length for ESP)
     * @param icvLength the truncated length
     */
    public TruncatedHmac(String algorithm, byte[] key, int icvLength) {
        this.key = new WipeableSecretKey(algorithm, key);
        try {
            mac = Mac.getInstance(algorithm);
            mac.init(this.key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " not available", e);
        }
        if (icvLength > mac.getMacLength()) {
            throw new IllegalArgumentException("ICV longer than the MAC");
        }
        this.full = new byte[mac.getMacLength()];
        this.icvLength = icvLength;
    }

    /** Length of the truncated output. */
    public int icvLength() {
        return icvLength;
    }

    /** Feeds bytes into the running MAC. */
    public void update(byte[] buf, int offset, int length) {
        mac.update(buf, offset, length);
    }

    /** Feeds a 32-bit big-endian value (the ESN high bits, RFC 4303 §3.3.2.2). */
    public void updateInt(int value) {
        Bytes.putInt(fourBytes, 0, value);
        mac.update(fourBytes, 0, 4);
    }

    /** Finishes the MAC and writes the truncated ICV to {@code out}; the MAC is ready for the next packet. */
    public void finish(byte[] out, int offset) {
        finishFull();
        System.arraycopy(full, 0, out, offset, icvLength);
    }

    /** Finishes the MAC and compares it in constant time with the ICV at {@code icv[offset]}. */
    public boolean finishAndVerify(byte[] icv, int offset) {
        finishFull();
        return Bytes.constantTimeEquals(full, 0, icv, offset, icvLength);
    }

    private void finishFull() {
        try {
            mac.doFinal(full, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC failed", e);
        }
    }

    @Override
    public void close() {
        key.destroy();
        mac.reset();
        Arrays.fill(full, (byte) 0);
    }
}
