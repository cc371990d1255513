package org.mobilevpn.ike.message;

/** Authentication payload (RFC 7296 §3.8): method and authentication data. */
public record AuthPayload(int method, byte[] data) implements Payload {
    public static final int RSA_SIGNATURE = 1;
    public static final int SHARED_KEY_MIC = 2;
    public static final int DSS_SIGNATURE = 3;
    public static final int ECDSA_SHA256_P256 = 9;
    public static final int ECDSA_SHA384_P384 = 10;
    public static final int ECDSA_SHA512_P521 = 11;
    /** RFC 7427 Digital Signature: data is an AlgorithmIdentifier with a length octet, then the signature. */
    public static final int DIGITAL_SIGNATURE = 14;

    public AuthPayload {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return PayloadType.AUTH;
    }

    static AuthPayload decode(OctetReader in) throws InvalidSyntaxException {
        int method = in.u8("AUTH method");
        in.skip(3, "AUTH reserved");
        if (!in.hasRemaining()) {
            throw new InvalidSyntaxException("AUTH payload without authentication data");
        }
        return new AuthPayload(method, in.rest());
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u8(method).zeros(3).bytes(data);
    }
}
