package org.mobilevpn.esp;

import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspTransform;
import org.mobilevpn.api.esp.LifetimeLimit;
import org.mobilevpn.api.esp.LifetimeState;

/**
 * Byte and packet lifetimes of one SA (RFC 4301 §4.4.2.1) plus the sequence-number limit: counts what
 * passed, moves ACTIVE -> SOFT_EXPIRED -> HARD_EXPIRED, and tells the listener once per level. A packet
 * is let through while below the hard limits; the one that reaches a hard limit is the last.
 */
final class LifetimeTracker {

    private final EspLifetime lifetime;
    private final EspSaListener listener;
    private long packets;
    private long bytes;
    private volatile LifetimeState state = LifetimeState.ACTIVE;

    LifetimeTracker(EspLifetime lifetime, EspSaListener listener) {
        this.lifetime = lifetime;
        this.listener = listener;
    }

    /** True once a hard limit was reached: no more packets. */
    boolean hardExpired() {
        return state == LifetimeState.HARD_EXPIRED;
    }

    LifetimeState state() {
        return state;
    }

    /** Records one packet and reports limits it reaches. */
    void record(EspTransform transform, int innerBytes) {
        packets++;
        bytes += innerBytes;
        if (reached(lifetime.hardPackets(), packets)) {
            hard(transform, LifetimeLimit.PACKETS);
        } else if (reached(lifetime.hardBytes(), bytes)) {
            hard(transform, LifetimeLimit.BYTES);
        } else if (reached(lifetime.softPackets(), packets)) {
            soft(transform, LifetimeLimit.PACKETS);
        } else if (reached(lifetime.softBytes(), bytes)) {
            soft(transform, LifetimeLimit.BYTES);
        }
    }

    /** Moves to SOFT_EXPIRED (once) and tells the listener. */
    void soft(EspTransform transform, LifetimeLimit limit) {
        if (state == LifetimeState.ACTIVE) {
            state = LifetimeState.SOFT_EXPIRED;
            listener.softLimitReached(transform, limit);
        }
    }

    /** Moves to HARD_EXPIRED (once) and tells the listener; a soft signal not yet sent is sent first. */
    void hard(EspTransform transform, LifetimeLimit limit) {
        if (state != LifetimeState.HARD_EXPIRED) {
            soft(transform, limit);
            state = LifetimeState.HARD_EXPIRED;
            listener.hardLimitReached(transform, limit);
        }
    }

    private static boolean reached(long limit, long value) {
        return limit != 0 && value >= limit;
    }
}
