package org.mobilevpn.esp.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) with SHA-256/384/512, truncated to half the hash length for ESP (RFC 4868 §2.1, §2.6:
 * HMAC-SHA-256-128, -384-192, -512-256). Built on two {@link MessageDigest}s rather than
 * {@link javax.crypto.Mac} because {@code Mac.doFinal(byte[], int)} allocates its result on every call,
 * while {@code MessageDigest.digest(byte[], int, int)} writes into our array; the hashing itself still
 * runs on the JDK's SHA intrinsics.
 */
public final class TruncatedHmac implements AutoCloseable {

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad;
    private final byte[] outerPad;
    private final byte[] innerHash;
    private final byte[] full;
    private final byte[] fourBytes = new byte[4];
    private final int icvLength;
    private boolean started;

    /**
     * @param algorithm JCA HMAC name: HmacSHA256, HmacSHA384 or HmacSHA512
     * @param key       the integrity key (RFC 4868 §2.1.1: hash-output length for ESP; any length works)
     * @param icvLength the truncated length
     */
    public TruncatedHmac(String algorithm, byte[] key, int icvLength) {
        int blockLength;
        String hash;
        switch (algorithm) {
            case "HmacSHA256":
                hash = "SHA-256";
                blockLength = 64;
                break;
            case "HmacSHA384":
                hash = "SHA-384";
                blockLength = 128;
                break;
            case "HmacSHA512":
                hash = "SHA-512";
                blockLength = 128;
                break;
            default:
                throw new IllegalArgumentException("unsupported HMAC " + algorithm);
        }
        try {
            inner = MessageDigest.getInstance(hash);
            outer = MessageDigest.getInstance(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hash + " not available", e);
        }
        int hashLength = inner.getDigestLength();
        if (icvLength > hashLength) {
            throw new IllegalArgumentException("ICV longer than the MAC");
        }
        // RFC 2104 §2: keys longer than the block are hashed first, shorter ones padded with zeros.
        byte[] k = key.length > blockLength ? inner.digest(key) : key.clone();
        innerPad = new byte[blockLength];
        outerPad = new byte[blockLength];
        for (int i = 0; i < blockLength; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        Arrays.fill(k, (byte) 0);
        innerHash = new byte[hashLength];
        full = new byte[hashLength];
        this.icvLength = icvLength;
    }

    /** Length of the truncated output. */
    public int icvLength() {
        return icvLength;
    }

    /** Feeds bytes into the running MAC. */
    public void update(byte[] buf, int offset, int length) {
        start();
        inner.update(buf, offset, length);
    }

    /** Feeds a 32-bit big-endian value (the ESN high bits, RFC 4303 §3.3.2.2). */
    public void updateInt(int value) {
        Bytes.putInt(fourBytes, 0, value);
        update(fourBytes, 0, 4);
    }

    /** Finishes the MAC and writes the truncated ICV to {@code out}; ready for the next message. */
    public void finish(byte[] out, int offset) {
        finishFull();
        System.arraycopy(full, 0, out, offset, icvLength);
    }

    /** Finishes the MAC and compares it in constant time with the ICV at {@code icv[offset]}. */
    public boolean finishAndVerify(byte[] icv, int offset) {
        finishFull();
        return Bytes.constantTimeEquals(full, 0, icv, offset, icvLength);
    }

    private void start() {
        if (!started) {
            inner.update(innerPad);
            started = true;
        }
    }

    private void finishFull() {
        start();
        try {
            inner.digest(innerHash, 0, innerHash.length);
            outer.update(outerPad);
            outer.update(innerHash);
            outer.digest(full, 0, full.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("digest output sizing", e);
        }
        started = false;
    }

    @Override
    public void close() {
        Arrays.fill(innerPad, (byte) 0);
        Arrays.fill(outerPad, (byte) 0);
        Arrays.fill(innerHash, (byte) 0);
        Arrays.fill(full, (byte) 0);
        inner.reset();
        outer.reset();
    }
}
