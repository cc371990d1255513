package org.mobilevpn.esp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The sender's sequence number (RFC 4303 §3.3.3): starts after the last number used, never cycles.
 * Without ESN the last usable number is 2^32-1, with ESN 2^64-1 (unsigned). Soft exhaustion is reported
 * once 15/16 of the space is used, so IKE can rekey long before the end.
 * Written by the packet thread only; {@link #last()} may be read from any thread.
 */
final class OutboundSequenceCounter {

    private static final long MAX_32 = 0xFFFF_FFFFL;
    private static final long MAX_64 = -1L; // 2^64-1 unsigned

    private final long max;
    private final long softThreshold;
    private final AtomicLong published;
    private long last;

    OutboundSequenceCounter(boolean esn, long lastUsed) {
        this.max = esn ? MAX_64 : MAX_32;
        this.softThreshold = max - (Long.divideUnsigned(max, 16));
        this.last = lastUsed;
        this.published = new AtomicLong(lastUsed);
    }

    /** True when no sequence number is left. */
    boolean exhausted() {
        return last == max;
    }

    /** Takes the next number; the caller checked {@link #exhausted()}. */
    long next() {
        last++;
        published.lazySet(last);
        return last;
    }

    /** True when the number just taken is at or past the soft threshold. */
    boolean pastSoftThreshold() {
        return Long.compareUnsigned(last, softThreshold) >= 0;
    }

    /** The last number sent (0: none yet). */
    long last() {
        return published.get();
    }
}
