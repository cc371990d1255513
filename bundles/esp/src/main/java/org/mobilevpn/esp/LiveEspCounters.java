package org.mobilevpn.esp;

import java.util.concurrent.atomic.AtomicLongArray;
import org.mobilevpn.api.esp.EspCounters;
import org.mobilevpn.api.esp.EspStatus;

/**
 * Per-transform counters: one writer (the packet thread), any number of lock-free readers. Writes are
 * ordered stores ({@code lazySet}), no read-modify-write atomics, since only one thread ever writes.
 */
final class LiveEspCounters implements EspCounters {

    private static final EspStatus[] STATUSES = EspStatus.values();
    private static final int BYTES = STATUSES.length;

    private final AtomicLongArray values = new AtomicLongArray(STATUSES.length + 1);

    /** Counts one successful packet of {@code innerBytes}. */
    void ok(int innerBytes) {
        bump(EspStatus.OK.ordinal(), 1);
        bump(BYTES, innerBytes);
    }

    /** Counts one packet that ended with {@code status}. */
    void record(EspStatus status) {
        bump(status.ordinal(), 1);
    }

    private void bump(int index, long delta) {
        values.lazySet(index, values.get(index) + delta);
    }

    @Override
    public long packets() {
        return values.get(EspStatus.OK.ordinal());
    }

    @Override
    public long bytes() {
        return values.get(BYTES);
    }

    @Override
    public long count(EspStatus status) {
        return values.get(status.ordinal());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("packets=").append(packets()).append(" bytes=").append(bytes());
        for (EspStatus status : STATUSES) {
            long n = count(status);
            if (status != EspStatus.OK && n != 0) {
                text.append(' ').append(status).append('=').append(n);
            }
        }
        return text.toString();
    }
}
