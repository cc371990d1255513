package org.mobilevpn.ike.engine;

import java.util.List;
import org.mobilevpn.api.FailureReason;

/**
 * An exchange we initiate: its type and tasks, and what an unanswered request means for the session.
 *
 * @param onTimeout the failure reported when all retransmissions go unanswered, or {@code null} when an
 *        unanswered request simply ends the session normally (our own DELETE)
 */
record Exchange(int exchangeType, List<Task> tasks, FailureReason onTimeout) {

    Exchange {
        tasks = List.copyOf(tasks);
    }
}
