package org.mobilevpn.ike.message;

/** Certificate payload (RFC 7296 §3.6). We send and read encoding 4, X.509 Certificate - Signature (DER). */
public record CertPayload(int encoding, byte[] data) implements Payload {
    public static final int X509_SIGNATURE = 4;

    public CertPayload {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return PayloadType.CERT;
    }

    static CertPayload decode(OctetReader in) throws InvalidSyntaxException {
        int encoding = in.u8("CERT encoding");
        return new CertPayload(encoding, in.rest());
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u8(encoding).bytes(data);
    }
}
