package org.mobilevpn.ike.engine;

import java.time.Duration;
import java.util.List;
import org.mobilevpn.api.FailureReason;

/**
 * An exchange we initiate: its type and tasks, and what an unanswered request means for the session.
 *
 * @param onTimeout the failure reported when all retransmissions go unanswered, or {@code null} when an
 *        unanswered request simply ends the session normally (our own DELETE)
 * @param giveUpAfter an upper bound on the time from the first transmission until the request counts as
 *        unanswered, shorter than the retransmission schedule's own; {@code null} for the schedule's
 */
record Exchange(int exchangeType, List<Task> tasks, FailureReason onTimeout, Duration giveUpAfter) {

    Exchange {
        tasks = List.copyOf(tasks);
    }

    Exchange(int exchangeType, List<Task> tasks, FailureReason onTimeout) {
        this(exchangeType, tasks, onTimeout, null);
    }
}
