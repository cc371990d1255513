package org.mobilevpn.api.ike;

/** Encryption transforms (RFC 7296 §3.3.2 transform type 1, IANA "Transform Type 1" ids) the engine negotiates. */
public enum EncryptionAlgorithm {
    /** ENCR_AES_CBC (12), RFC 3602; needs an integrity algorithm. */
    AES_CBC(12, false, 0),
    /** ENCR_AES_GCM_16 (20), RFC 4106 / RFC 5282: 16-octet ICV, 4-octet salt from the key material. */
    AES_GCM_16(20, true, 4),
    /** ENCR_CHACHA20_POLY1305 (28), RFC 7634: 256-bit key, 4-octet salt from the key material. */
    CHACHA20_POLY1305(28, true, 4);

    private final int ianaId;
    private final boolean aead;
    private final int saltLength;

    EncryptionAlgorithm(int ianaId, boolean aead, int saltLength) {
        this.ianaId = ianaId;
        this.aead = aead;
        this.saltLength = saltLength;
    }

    public int ianaId() {
        return ianaId;
    }

    /** Combined-mode (AEAD): no separate integrity algorithm is negotiated. */
    public boolean isAead() {
        return aead;
    }

    /** Octets of implicit nonce (salt) taken from the key material after the key. */
    public int saltLength() {
        return saltLength;
    }
}
