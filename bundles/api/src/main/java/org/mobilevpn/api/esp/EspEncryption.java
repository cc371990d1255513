package org.mobilevpn.api.esp;

/**
 * ESP encryption transforms we support, with the sizes a packet layout needs.
 *
 * <p>Key sizes are without salt; AEAD transforms take a separate salt (RFC 4106 §8.1: 4 bytes at the end
 * of the KEYMAT for AES-GCM; RFC 7634 §2: 4 bytes for ChaCha20-Poly1305).
 */
public enum EspEncryption {
    /** AES-GCM with a 16-byte ICV and 128-bit key (RFC 4106), IKEv2 transform ID 20. */
    AES_GCM_16_128(20, 16, 4, 8, 16, 4, true),
    /** AES-GCM with a 16-byte ICV and 256-bit key (RFC 4106), IKEv2 transform ID 20. */
    AES_GCM_16_256(20, 32, 4, 8, 16, 4, true),
    /** ChaCha20-Poly1305 (RFC 7634), IKEv2 transform ID 28. */
    CHACHA20_POLY1305(28, 32, 4, 8, 16, 4, true),
    /** AES-CBC with a 128-bit key (RFC 3602), IKEv2 transform ID 12; needs an {@link EspIntegrity}. */
    AES_CBC_128(12, 16, 0, 16, 0, 16, false),
    /** AES-CBC with a 256-bit key (RFC 3602), IKEv2 transform ID 12; needs an {@link EspIntegrity}. */
    AES_CBC_256(12, 32, 0, 16, 0, 16, false);

    private final int ikeTransformId;
    private final int keyLength;
    private final int saltLength;
    private final int ivLength;
    private final int icvLength;
    private final int blockSize;
    private final boolean aead;

    EspEncryption(int ikeTransformId, int keyLength, int saltLength, int ivLength, int icvLength,
                  int blockSize, boolean aead) {
        this.ikeTransformId = ikeTransformId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.ivLength = ivLength;
        this.icvLength = icvLength;
        this.blockSize = blockSize;
        this.aead = aead;
    }

    /** IKEv2 ENCR transform ID (IANA "Transform Type 1"). */
    public int ikeTransformId() { return ikeTransformId; }

    /** Cipher key length in bytes, without salt. */
    public int keyLength() { return keyLength; }

    /** Salt (nonce prefix) length in bytes; 0 for non-AEAD transforms. */
    public int saltLength() { return saltLength; }

    /** Explicit IV length carried in each ESP packet. */
    public int ivLength() { return ivLength; }

    /** ICV length of the AEAD tag; 0 for non-AEAD (the {@link EspIntegrity} gives it). */
    public int icvLength() { return icvLength; }

    /** Alignment the ciphertext (payload + padding + pad length + next header) must reach. */
    public int blockSize() { return blockSize; }

    /** True when the transform authenticates by itself (no separate integrity algorithm). */
    public boolean aead() { return aead; }
}
