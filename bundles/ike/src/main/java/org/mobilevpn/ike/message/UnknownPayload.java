package org.mobilevpn.ike.message;

/** A payload of a type we do not know and which is not critical (RFC 7296 §2.5): kept, then skipped. */
public record UnknownPayload(int type, boolean critical, byte[] body) implements Payload {

    public UnknownPayload {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.bytes(body);
    }
}
