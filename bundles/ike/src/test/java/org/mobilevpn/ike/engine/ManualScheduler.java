package org.mobilevpn.ike.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A {@link Scheduler} on virtual time: nothing runs until the test says so, and no test sleeps. */
final class ManualScheduler implements Scheduler {
    private static final class Timed {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timed(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }
    }

    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timed> timed = new PriorityQueue<>(
            Comparator.comparingLong((Timed t) -> t.at).thenComparingLong(t -> t.seq));
    private long now;
    private long seq;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public synchronized void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Timed t = new Timed(now + delay.toMillis(), seq++, task);
        timed.add(t);
        return () -> t.cancelled = true;
    }

    /** Runs everything that is due now, including what that schedules for now. */
    void runReady() {
        while (true) {
            Runnable r;
            synchronized (this) {
                r = ready.poll();
            }
            if (r == null) {
                return;
            }
            r.run();
        }
    }

    /** Moves the clock forward by {@code d}, running timers in order as their time comes. */
    void advance(Duration d) {
        long target = now + d.toMillis();
        runReady();
        while (true) {
            Timed t;
            synchronized (this) {
                t = timed.peek();
                if (t == null || t.at > target) {
                    break;
                }
                timed.poll();
            }
            if (t.cancelled) {
                continue;
            }
            now = t.at;
            t.task.run();
            runReady();
        }
        now = target;
    }

    /** Time of the next live timer, or -1. */
    long nextTimerAt() {
        return timed.stream().filter(t -> !t.cancelled).mapToLong(t -> t.at).min().orElse(-1);
    }
}
