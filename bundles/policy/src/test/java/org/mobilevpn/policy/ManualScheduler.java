package org.mobilevpn.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * The policy thread on virtual time: {@link #runPending()} runs what was posted, {@link #advance}
 * moves the clock and runs timers as they fall due. Nothing sleeps.
 */
final class ManualScheduler implements PolicyScheduler {

    /** A clock that moves only when told. */
    static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void set(Instant t) {
            now = t;
        }
    }

    private static final class Timer {
        final Instant due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timer(Instant due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }
    }

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final Deque<Runnable> ready = new ArrayDeque<>();
    private final List<Timer> timers = new ArrayList<>();
    /** Every delay ever scheduled, in order. */
    final List<Duration> scheduledDelays = new ArrayList<>();
    private long seq;

    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Timer t = new Timer(clock.instant().plus(delay), seq++, task);
        timers.add(t);
        scheduledDelays.add(delay);
        return () -> t.cancelled = true;
    }

    /** Runs everything posted so far, and what that posts. */
    void runPending() {
        while (!ready.isEmpty()) {
            ready.poll().run();
        }
    }

    /** Moves time forward by {@code d}, running posted tasks and each timer at its due time. */
    void advance(Duration d) {
        Instant target = clock.instant().plus(d);
        while (true) {
            runPending();
            timers.removeIf(t -> t.cancelled);
            Timer next = timers.stream().filter(t -> !t.due.isAfter(target))
                    .min(Comparator.comparing((Timer t) -> t.due).thenComparingLong(t -> t.seq)).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            clock.set(next.due);
            next.task.run();
        }
        clock.set(target);
        runPending();
    }

    /** Timers not yet run nor cancelled. */
    long activeTimers() {
        return timers.stream().filter(t -> !t.cancelled).count();
    }
}
