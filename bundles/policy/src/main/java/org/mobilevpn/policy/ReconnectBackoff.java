package org.mobilevpn.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Delays between reconnection attempts: exponential (doubling from {@code initial}), capped at
 * {@code max}, each spread by a random factor of {@code 1 ± jitter} so that many clients a gateway
 * restart threw off do not all come back in the same second (the "thundering herd"; the same reason
 * RFC 7296 §2.8.1 randomizes rekey times). The jittered delay is kept within {@code [initial, max]}.
 *
 * <p>Not thread-safe: owned by one connection on the policy thread.
 */
final class ReconnectBackoff {
    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;
    private int failures;

    /**
     * @param initial first delay (e.g. 1 s)
     * @param max     cap (e.g. 2 min)
     * @param jitter  fraction in [0, 1): the delay is multiplied by a uniform factor in [1 - jitter, 1 + jitter]
     * @param random  uniform values in [0, 1)
     */
    ReconnectBackoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
        this.initial = Objects.requireNonNull(initial);
        this.max = Objects.requireNonNull(max);
        this.random = Objects.requireNonNull(random);
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
        this.jitter = jitter;
    }

    /** The delay before the next attempt; every call counts one more failure. */
    Duration next() {
        double nominal = Math.min(max.toNanos(), initial.toNanos() * Math.pow(2, Math.min(failures, 62)));
        failures++;
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        long nanos = (long) Math.max(initial.toNanos(), Math.min(max.toNanos(), nominal * factor));
        return Duration.ofNanos(nanos);
    }

    /** Starts again from {@code initial}: after a connection was up. */
    void reset() {
        failures = 0;
    }

    /** Failures counted since the last {@link #reset()}. */
    int failures() {
        return failures;
    }
}
