package org.mobilevpn.ike.message;

/**
 * A payload of a type we do not know carries the critical bit (RFC 7296 §2.5): the message is rejected
 * and a request is answered with UNSUPPORTED_CRITICAL_PAYLOAD carrying the one-octet payload type.
 */
public final class UnsupportedCriticalPayloadException extends IkeParseException {
    private static final long serialVersionUID = 1L;
    private final int payloadType;

    public UnsupportedCriticalPayloadException(int payloadType) {
        super("unsupported critical payload type " + payloadType);
        this.payloadType = payloadType;
    }

    public int payloadType() {
        return payloadType;
    }

    @Override
    public int notifyType() {
        return NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD;
    }

    @Override
    public byte[] notifyData() {
        return new byte[] {(byte) payloadType};
    }
}
