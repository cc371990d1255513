package org.mobilevpn.policy;

import java.time.Duration;

/**
 * One timer of a connection (retry, disconnect, childless grace, health check): at most one pending task
 * per slot. Scheduling again replaces the pending one, cancelling is idempotent, and a task runs with its
 * slot already empty, so it may schedule the next one. Policy thread only.
 */
final class TimerSlot {
    private final PolicyScheduler scheduler;
    private PolicyScheduler.Cancellable pending;

    TimerSlot(PolicyScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs {@code task} after {@code delay} unless cancelled or replaced first. */
    void schedule(Duration delay, Runnable task) {
        cancel();
        PolicyScheduler.Cancellable[] self = new PolicyScheduler.Cancellable[1];
        self[0] = scheduler.schedule(delay, () -> {
            if (pending != self[0]) {
                return; // replaced or cancelled after it was already on its way
            }
            pending = null;
            task.run();
        });
        pending = self[0];
    }

    boolean isPending() {
        return pending != null;
    }

    void cancel() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }
}
