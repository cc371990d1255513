package org.mobilevpn.policy;

import java.time.Duration;

/**
 * The policy thread: every connection's state changes run on it, one at a time, so the state machines
 * need no locks. Injectable, so tests run the state machines on virtual time without sleeping.
 */
interface PolicyScheduler {

    /** A scheduled task that can be called off. */
    interface Cancellable {
        /** Prevents the task from running if it has not started yet. Idempotent. */
        void cancel();
    }

    /** Runs {@code task} on the policy thread as soon as it is free (after the tasks queued before it). */
    void execute(Runnable task);

    /** Runs {@code task} on the policy thread after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);
}
