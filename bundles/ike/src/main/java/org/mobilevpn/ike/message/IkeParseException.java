package org.mobilevpn.ike.message;

/**
 * A received message is malformed. Each subclass maps to the notify error a responder answers with
 * (RFC 7296 §2.21.1 / §3.10.1); the decoder throws nothing else for bad input.
 */
public abstract class IkeParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private int payloadType = -1;

    protected IkeParseException(String message) {
        super(message);
    }

    /** The type of the payload whose body is malformed ({@link PayloadType}), or -1 when the message's structure is. */
    public int payloadType() {
        return payloadType;
    }

    /** Notes the payload whose body this exception is about (the innermost one, if already noted). */
    IkeParseException inPayload(int type) {
        if (payloadType < 0) {
            payloadType = type;
        }
        return this;
    }

    /** The notify message type that reports this error to the peer. */
    public abstract int notifyType();

    /** The notification data that goes with it (empty for most errors). */
    public byte[] notifyData() {
        return new byte[0];
    }
}
