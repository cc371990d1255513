package org.mobilevpn.webconsole;

import java.time.Instant;

/**
 * A connection's last failure, in words.
 *
 * @param reason  the FailureReason name
 * @param words   what the reason means for an operator
 * @param message the Policy Manager's message (never a secret)
 * @param time    when it happened
 */
record ErrorView(String reason, String words, String message, Instant time) {

    /** {@code words: message}. */
    String text() {
        return message.isEmpty() ? words : words + ": " + message;
    }
}
