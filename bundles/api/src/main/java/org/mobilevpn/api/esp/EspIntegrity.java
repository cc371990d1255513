package org.mobilevpn.api.esp;

/** ESP integrity transforms (RFC 4868), used with the non-AEAD {@link EspEncryption} values. */
public enum EspIntegrity {
    /** No separate integrity: the encryption is AEAD. */
    NONE(0, 0, 0),
    /** HMAC-SHA-256 truncated to 128 bits (RFC 4868 §2.1), IKEv2 transform ID 12. */
    HMAC_SHA2_256_128(12, 32, 16),
    /** HMAC-SHA-384 truncated to 192 bits (RFC 4868 §2.1), IKEv2 transform ID 13. */
    HMAC_SHA2_384_192(13, 48, 24),
    /** HMAC-SHA-512 truncated to 256 bits (RFC 4868 §2.1), IKEv2 transform ID 14. */
    HMAC_SHA2_512_256(14, 64, 32);

    private final int ikeTransformId;
    private final int keyLength;
    private final int icvLength;

    EspIntegrity(int ikeTransformId, int keyLength, int icvLength) {
        this.ikeTransformId = ikeTransformId;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
    }

    /** IKEv2 INTEG transform ID (IANA "Transform Type 3"); 0 for {@link #NONE}. */
    public int ikeTransformId() { return ikeTransformId; }

    /** Key length in bytes (RFC 4868 §2.1.1: the full hash output length). */
    public int keyLength() { return keyLength; }

    /** Truncated ICV length in bytes carried in each ESP packet. */
    public int icvLength() { return icvLength; }
}
