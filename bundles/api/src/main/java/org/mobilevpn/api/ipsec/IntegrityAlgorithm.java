package org.mobilevpn.api.ipsec;

/** Integrity transforms of IKE and ESP (RFC 7296 §3.3.2 transform type 3; RFC 4868 for HMAC-SHA-2). */
public enum IntegrityAlgorithm {
    /** No integrity transform: the cipher is AEAD. */
    NONE(0, 0, 0),
    /** AUTH_HMAC_SHA2_256_128 (12): 32-octet key, 16-octet ICV (RFC 4868 §2.1). */
    HMAC_SHA2_256_128(12, 32, 16),
    /** AUTH_HMAC_SHA2_384_192 (13): 48-octet key, 24-octet ICV. */
    HMAC_SHA2_384_192(13, 48, 24),
    /** AUTH_HMAC_SHA2_512_256 (14): 64-octet key, 32-octet ICV. */
    HMAC_SHA2_512_256(14, 64, 32);

    private final int ianaId;
    private final int keyLength;
    private final int icvLength;

    IntegrityAlgorithm(int ianaId, int keyLength, int icvLength) {
        this.ianaId = ianaId;
        this.keyLength = keyLength;
        this.icvLength = icvLength;
    }

    /** IKEv2 INTEG transform ID (IANA "Transform Type 3"); 0 for {@link #NONE}. */
    public int ianaId() { return ianaId; }

    /** Key length in octets (RFC 4868 §2.1.1: the full hash output length). */
    public int keyLength() { return keyLength; }

    /** Length of the truncated integrity check value in octets. */
    public int icvLength() { return icvLength; }
}
