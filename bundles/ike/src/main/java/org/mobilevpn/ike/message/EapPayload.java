package org.mobilevpn.ike.message;

/**
 * EAP payload (RFC 7296 §3.16): one EAP message (RFC 3748 §4) whose own length must fill the payload.
 * The engine does not run EAP methods yet; the payload is decoded so a peer's EAP is recognised.
 */
public record EapPayload(byte[] eapMessage) implements Payload {

    public EapPayload {
        eapMessage = eapMessage.clone();
    }

    @Override
    public byte[] eapMessage() {
        return eapMessage.clone();
    }

    /** EAP code: 1 request, 2 response, 3 success, 4 failure. */
    public int code() {
        return eapMessage[0] & 0xff;
    }

    @Override
    public int type() {
        return PayloadType.EAP;
    }

    static EapPayload decode(OctetReader in) throws InvalidSyntaxException {
        int length = in.remaining();
        if (length < 4) {
            throw new InvalidSyntaxException("EAP message shorter than its header");
        }
        byte[] message = in.rest();
        int eapLength = (message[2] & 0xff) << 8 | message[3] & 0xff;
        if (eapLength != length) {
            throw new InvalidSyntaxException("EAP length " + eapLength + " in a payload of " + length);
        }
        return new EapPayload(message);
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.bytes(eapMessage);
    }
}
