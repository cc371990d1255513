package org.mobilevpn.esp.crypto;

import java.util.Arrays;

/**
 * ChaCha20-Poly1305 for ESP (RFC 7634) on our own {@link ChaCha20} and {@link Poly1305} (RFC 8439 §2.8):
 * nonce = salt | 8-byte IV, AAD = SPI | [ESN high] | sequence number, 16-byte tag. Written because both
 * library versions allocate on every packet (Bouncy Castle in init, Java 17's JCA in init and per
 * call) and neither is faster on Java 17 (see docs/benchmarks.md, ESP transforms); checked against the RFC 7634
 * example, against both libraries, and against OpenSSL through the Python IT.
 */
public final class ChaCha20Poly1305Cipher implements EspPacketCipher {

    private static final int IV_LENGTH = 8;
    private static final int TAG_LENGTH = 16;

    private final ChaCha20 chacha;
    private final Poly1305 poly = new Poly1305();
    private final int saltWord;
    private final boolean encrypting;
    private final AeadAssociatedData aad;
    private final byte[] oneTimeKey = new byte[32];
    private final byte[] tag = new byte[TAG_LENGTH];

    /**
     * @param key        32 bytes
     * @param salt       4 bytes (RFC 7634 §2)
     * @param esn        include the high 32 sequence bits in the AAD (RFC 7634 §2.1)
     * @param encrypting true for an outbound SA
     */
    public ChaCha20Poly1305Cipher(byte[] key, byte[] salt, boolean esn, boolean encrypting) {
        if (key.length != 32 || salt.length != 4) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 32-byte key and a 4-byte salt");
        }
        this.chacha = new ChaCha20(key, 0);
        this.saltWord = littleEndian(salt, 0);
        this.encrypting = encrypting;
        this.aad = new AeadAssociatedData(esn);
    }

    @Override
    public int ivLength() {
        return IV_LENGTH;
    }

    @Override
    public int icvLength() {
        return TAG_LENGTH;
    }

    @Override
    public int blockSize() {
        return 4;
    }

    @Override
    public void seal(byte[] buf, int espOffset, int payloadLength, long sequenceNonce, int seqHigh) {
        if (!encrypting) {
            throw new IllegalStateException("inbound cipher cannot encrypt");
        }
        int ivOffset = espOffset + 8;
        int payloadOffset = ivOffset + IV_LENGTH;
        Bytes.putLong(buf, ivOffset, sequenceNonce);
        int n1 = littleEndian(buf, ivOffset);
        int n2 = littleEndian(buf, ivOffset + 4);
        startTag(buf, espOffset, seqHigh, n1, n2);
        chacha.xor(buf, payloadOffset, buf, payloadOffset, payloadLength, 1, saltWord, n1, n2);
        finishTag(buf, payloadOffset, payloadLength);
        System.arraycopy(tag, 0, buf, payloadOffset + payloadLength, TAG_LENGTH);
    }

    @Override
    public boolean open(byte[] in, int espOffset, int ciphertextLength, byte[] out, int outOffset, int seqHigh) {
        if (encrypting) {
            throw new IllegalStateException("outbound cipher cannot decrypt");
        }
        int ivOffset = espOffset + 8;
        int payloadOffset = ivOffset + IV_LENGTH;
        int n1 = littleEndian(in, ivOffset);
        int n2 = littleEndian(in, ivOffset + 4);
        startTag(in, espOffset, seqHigh, n1, n2);
        finishTag(in, payloadOffset, ciphertextLength);
        if (!Bytes.constantTimeEquals(tag, 0, in, payloadOffset + ciphertextLength, TAG_LENGTH)) {
            return false;
        }
        chacha.xor(in, payloadOffset, out, outOffset, ciphertextLength, 1, saltWord, n1, n2);
        return true;
    }

    /** One-time Poly1305 key from block 0, then the AAD and its padding (RFC 8439 §2.6, §2.8). */
    private void startTag(byte[] packet, int espOffset, int seqHigh, int n1, int n2) {
        chacha.firstBytesOfBlock(oneTimeKey, 0, 0, saltWord, n1, n2);
        poly.init(oneTimeKey, 0);
        if (aad.separate()) {
            poly.update(aad.fill(packet, espOffset, seqHigh), 0, aad.length());
        } else {
            poly.update(packet, espOffset, 8);
        }
        poly.padTo16();
    }

    /** The ciphertext, its padding and both lengths (RFC 8439 §2.8). */
    private void finishTag(byte[] buf, int ciphertextOffset, int ciphertextLength) {
        poly.update(buf, ciphertextOffset, ciphertextLength);
        poly.padTo16();
        poly.updateLong(aad.length());
        poly.updateLong(ciphertextLength);
        poly.finish(tag, 0);
    }

    private static int littleEndian(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8 | (b[offset + 2] & 0xFF) << 16 | (b[offset + 3] & 0xFF) << 24;
    }

    @Override
    public void close() {
        chacha.wipe();
        poly.wipe();
        Arrays.fill(oneTimeKey, (byte) 0);
        Arrays.fill(tag, (byte) 0);
    }
}
