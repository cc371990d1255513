package org.mobilevpn.fleet;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The delay before the next attempt to reach the broker list: 1 s, doubling to 2 min, each delay drawn
 * between half and all of it so that a fleet cut off together does not come back in one wave.
 */
public final class BrokerBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(2);

    private final DoubleSupplier random;
    private int failures;

    public BrokerBackoff(DoubleSupplier random) {
        this.random = random;
    }

    /** The delay after one more failure. */
    public synchronized Duration next() {
        long base = Math.min(MAX.toMillis(), FIRST.toMillis() << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(base / 2 + (long) (random.getAsDouble() * (base / 2)));
    }

    /** A session was established: start from the first delay again. */
    public synchronized void reset() {
        failures = 0;
    }
}
