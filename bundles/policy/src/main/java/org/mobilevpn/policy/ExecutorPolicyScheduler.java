package org.mobilevpn.policy;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The real policy thread: one daemon thread of a scheduled executor. A task that throws is reported
 * and does not kill the thread.
 */
final class ExecutorPolicyScheduler implements PolicyScheduler, AutoCloseable {
    private final ScheduledThreadPoolExecutor executor;
    private final Consumer<RuntimeException> onError;
    private volatile Thread thread;

    ExecutorPolicyScheduler(String threadName, Consumer<RuntimeException> onError) {
        this.onError = onError;
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Future<?> f = executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /**
     * Runs {@code task} on the policy thread and waits for its result: how requests from other threads
     * (console, web page) reach the single-threaded state machines.
     *
     * @throws IllegalStateException when the policy thread is busy longer than {@code timeout} or stopped
     */
    <T> T call(Callable<T> task, Duration timeout) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call(); // already on the policy thread: waiting for it would deadlock
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f;
        try {
            f = executor.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the policy manager is stopping");
        }
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the policy manager is busy; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Lets queued tasks finish (delayed ones are dropped), then stops the thread; waits at most 10 s. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                onError.accept(e);
            }
        };
    }
}
