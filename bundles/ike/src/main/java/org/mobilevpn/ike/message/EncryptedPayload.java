package org.mobilevpn.ike.message;

/**
 * Encrypted and Authenticated payload, SK (RFC 7296 §3.14): always the last payload; its "next
 * payload" field names the first payload inside. The body (IV, ciphertext with padding, ICV) is
 * opaque here: protection is the engine's job, which also needs the octets before it as AAD.
 */
public record EncryptedPayload(int firstInnerType, byte[] body) implements Payload {

    public EncryptedPayload {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public int type() {
        return PayloadType.SK;
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.bytes(body);
    }
}
