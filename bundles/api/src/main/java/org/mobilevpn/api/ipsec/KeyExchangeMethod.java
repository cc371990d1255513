package org.mobilevpn.api.ipsec;

/** Key exchange methods (RFC 7296 §3.3.2 transform type 4, Diffie-Hellman groups). */
public enum KeyExchangeMethod {
    /** 2048-bit MODP group (14), RFC 3526. */
    MODP_2048(14),
    /** 3072-bit MODP group (15), RFC 3526. */
    MODP_3072(15),
    /** 256-bit random ECP group (19), RFC 5903. */
    ECP_256(19),
    /** 384-bit random ECP group (20), RFC 5903. */
    ECP_384(20),
    /** Curve25519 (31), RFC 8031. */
    CURVE25519(31);

    private final int ianaId;

    KeyExchangeMethod(int ianaId) {
        this.ianaId = ianaId;
    }

    public int ianaId() {
        return ianaId;
    }
}
