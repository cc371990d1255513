package org.mobilevpn.ike.message;

/** A length, count or field value contradicts RFC 7296 §3: answered with INVALID_SYNTAX. */
public final class InvalidSyntaxException extends IkeParseException {
    private static final long serialVersionUID = 1L;

    public InvalidSyntaxException(String message) {
        super(message);
    }

    @Override
    public int notifyType() {
        return NotifyType.INVALID_SYNTAX;
    }
}
