package org.mobilevpn.csp;

/**
 * A document is not JSON, or exceeds one of the reader's limits; the message gives line, column, the
 * key path and the reason, never the text itself.
 */
final class JsonSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean overLimit;

    JsonSyntaxException(String message, boolean overLimit) {
        super(message);
        this.overLimit = overLimit;
    }

    /** True when the text may be valid JSON but is bigger or deeper than {@link BoundedJsonReader} accepts. */
    boolean overLimit() {
        return overLimit;
    }
}
