package org.mobilevpn.api.ipsec;

/** Pseudo-random functions (RFC 7296 §3.3.2 transform type 2; RFC 4868). */
public enum PrfAlgorithm {
    /** PRF_HMAC_SHA2_256 (5). */
    HMAC_SHA2_256(5, 32),
    /** PRF_HMAC_SHA2_384 (6). */
    HMAC_SHA2_384(6, 48),
    /** PRF_HMAC_SHA2_512 (7). */
    HMAC_SHA2_512(7, 64);

    private final int ianaId;
    private final int outputLength;

    PrfAlgorithm(int ianaId, int outputLength) {
        this.ianaId = ianaId;
        this.outputLength = outputLength;
    }

    public int ianaId() {
        return ianaId;
    }

    /** Output (and preferred key) length in octets. */
    public int outputLength() {
        return outputLength;
    }
}
