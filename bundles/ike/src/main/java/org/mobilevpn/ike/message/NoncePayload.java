package org.mobilevpn.ike.message;

/** Nonce payload (RFC 7296 §3.9): 16 to 256 random octets. */
public record NoncePayload(byte[] nonce) implements Payload {
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 256;

    public NoncePayload {
        nonce = nonce.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public int type() {
        return PayloadType.NONCE;
    }

    static NoncePayload decode(OctetReader in) throws InvalidSyntaxException {
        int length = in.remaining();
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new InvalidSyntaxException("nonce of " + length + " octets (16..256)");
        }
        return new NoncePayload(in.rest());
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.bytes(nonce);
    }
}
