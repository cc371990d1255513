package org.mobilevpn.ike.engine;

import java.time.Duration;

/**
 * The session's event loop and clock: everything that touches session state runs through
 * {@link #execute} or {@link #schedule}, one task at a time. Injected so tests drive time by hand.
 */
public interface Scheduler {

    /** A scheduled task that can still be called off. */
    interface Cancellable {
        void cancel();
    }

    /** Monotonic time in milliseconds. */
    long nowMillis();

    /** Runs {@code task} on the loop as soon as possible. */
    void execute(Runnable task);

    /** Runs {@code task} on the loop after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);
}
