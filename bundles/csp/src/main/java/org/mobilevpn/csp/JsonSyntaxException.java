package org.mobilevpn.csp;

/** A policy document is not JSON; the message gives line, column and the reason, never the text itself. */
final class JsonSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonSyntaxException(String message) {
        super(message);
    }
}
