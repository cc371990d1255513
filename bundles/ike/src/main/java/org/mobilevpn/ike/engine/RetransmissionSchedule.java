package org.mobilevpn.ike.engine;

import java.time.Duration;

/**
 * Retransmission timing (RFC 7296 §2.1) as strongSwan does it: the n-th wait is
 * {@code timeout * base^n}; after {@code tries} retransmissions and one more wait the peer is given up.
 * With strongSwan's defaults (4 s, 1.8, 5) that is 4, 7.2, 13, 23.3, 42 and 75.6 s: 165 s in all.
 */
final class RetransmissionSchedule {
    private final Duration timeout;
    private final double base;
    private final int tries;

    RetransmissionSchedule(Duration timeout, double base, int tries) {
        this.timeout = timeout;
        this.base = base;
        this.tries = tries;
    }

    /** How long to wait for an answer after the {@code attempt}-th transmission (0 = the original). */
    Duration waitAfter(int attempt) {
        return Duration.ofMillis(Math.round(timeout.toMillis() * Math.pow(base, attempt)));
    }

    /** Whether another retransmission follows the {@code attempt}-th transmission. */
    boolean retransmitAfter(int attempt) {
        return attempt < tries;
    }

    /** Total time from the first transmission until the peer is given up. */
    Duration giveUpAfter() {
        Duration total = Duration.ZERO;
        for (int i = 0; i <= tries; i++) {
            total = total.plus(waitAfter(i));
        }
        return total;
    }
}
