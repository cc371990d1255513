package org.mobilevpn.api.policy;

import java.time.Instant;
import java.util.Objects;
import org.mobilevpn.api.FailureReason;

/**
 * Why a connection last failed.
 *
 * @param reason  the typed reason
 * @param message what happened, in words; never a secret
 * @param time    when it happened
 */
public record ConnectionError(FailureReason reason, String message, Instant time) {

    /** Rejects nulls. */
    public ConnectionError {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(time, "time");
    }

    /** {@code REASON: message}. */
    @Override
    public String toString() {
        return reason + ": " + message;
    }
}
