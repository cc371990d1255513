package org.mobilevpn.esp.crypto;

/**
 * AES-GCM with a 16-byte ICV for ESP (RFC 4106) on our allocation-free {@link AesGcm}: nonce = 4-byte
 * salt | 8-byte explicit IV (§3.1, §4), the IV is the sequence number (unique per key, §3.1), AAD = SPI |
 * sequence number or, with ESN, SPI | high 32 bits | low 32 bits (§5), ICV = the 16-byte tag (§6).
 * AES-128 and AES-256 keys (plus the salt, §8.1) come from the SA. Owns its key material and GHASH
 * tables; {@link #close} wipes them.
 */
public final class AesGcmEspCipher implements EspPacketCipher {

    private static final int IV_LENGTH = 8;

    private final AesGcm gcm;
    private final int salt;
    private final boolean encrypting;
    private final AeadAssociatedData aad;

    /**
     * @param key        16 or 32 bytes
     * @param salt       4 bytes (RFC 4106 §8.1)
     * @param esn        include the high 32 sequence bits in the AAD (RFC 4106 §5)
     * @param encrypting true for an outbound SA
     * @param variant    the GHASH implementation
     */
    public AesGcmEspCipher(byte[] key, byte[] salt, boolean esn, boolean encrypting, GhashVariant variant) {
        if (key.length != 16 && key.length != 32) {
            throw new IllegalArgumentException("AES-GCM key for ESP must be 16 or 32 bytes");
        }
        if (salt.length != 4) {
            throw new IllegalArgumentException("AES-GCM for ESP needs a 4-byte salt");
        }
        this.gcm = new AesGcm(key, variant);
        this.salt = Bytes.getInt(salt, 0);
        this.encrypting = encrypting;
        this.aad = new AeadAssociatedData(esn);
    }

    @Override
    public int ivLength() {
        return IV_LENGTH;
    }

    @Override
    public int icvLength() {
        return AesGcm.TAG_LENGTH;
    }

    @Override
    public int blockSize() {
        return 4; // a stream mode: ESP's own 4-byte alignment (RFC 4106 §3.2)
    }

    @Override
    public void seal(byte[] buf, int espOffset, int payloadLength, long sequenceNonce, int seqHigh) {
        if (!encrypting) {
            throw new IllegalStateException("inbound cipher cannot encrypt");
        }
        int ivOffset = espOffset + 8;
        int payloadOffset = ivOffset + IV_LENGTH;
        Bytes.putLong(buf, ivOffset, sequenceNonce);
        gcm.iv96(salt, sequenceNonce);
        if (aad.separate()) {
            gcm.seal(aad.fill(buf, espOffset, seqHigh), 0, aad.length(), buf, payloadOffset, buf, payloadOffset,
                    payloadLength, buf, payloadOffset + payloadLength);
        } else {
            gcm.seal(buf, espOffset, 8, buf, payloadOffset, buf, payloadOffset, payloadLength, buf,
                    payloadOffset + payloadLength);
        }
    }

    @Override
    public boolean open(byte[] in, int espOffset, int ciphertextLength, byte[] out, int outOffset, int seqHigh) {
        if (encrypting) {
            throw new IllegalStateException("outbound cipher cannot decrypt");
        }
        int ivOffset = espOffset + 8;
        int payloadOffset = ivOffset + IV_LENGTH;
        long iv = (long) Bytes.getInt(in, ivOffset) << 32 | (Bytes.getInt(in, ivOffset + 4) & 0xFFFFFFFFL);
        gcm.iv96(salt, iv);
        if (aad.separate()) {
            return gcm.open(aad.fill(in, espOffset, seqHigh), 0, aad.length(), in, payloadOffset, ciphertextLength,
                    in, payloadOffset + ciphertextLength, out, outOffset);
        }
        return gcm.open(in, espOffset, 8, in, payloadOffset, ciphertextLength, in, payloadOffset + ciphertextLength,
                out, outOffset);
    }

    @Override
    public void close() {
        gcm.close();
    }
}
