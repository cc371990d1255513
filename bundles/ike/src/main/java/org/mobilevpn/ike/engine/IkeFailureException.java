package org.mobilevpn.ike.engine;

import org.mobilevpn.api.FailureReason;

/** A task cannot go on: the session fails with this reason (RFC 7296 §2.21 error handling). */
public class IkeFailureException extends Exception {
    private static final long serialVersionUID = 1L;
    private final FailureReason reason;

    public IkeFailureException(FailureReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public IkeFailureException(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
