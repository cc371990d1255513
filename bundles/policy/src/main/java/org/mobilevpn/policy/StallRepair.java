package org.mobilevpn.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * What a connection does about a stalled Child SA ({@link ChildSaLiveness}), one step per stall seen:
 * first a new Child SA (a rekey, RFC 7296 §2.8: new SPIs and keys, make-before-break, the IKE SA stays),
 * and if packets still get no answer after another window, a new IKE SA (reconnect). That ends a
 * <em>round</em>. A stall seen after a reconnect starts the next round only after a hold-off that doubles
 * from {@code firstHoldOff} each round up to {@code maxHoldOff}. So something a new SA cannot fix, such as
 * a firewall that drops all ESP or a one-way stream, costs at most one reconnect per {@code maxHoldOff}
 * instead of a reconnect storm. The first round starts at once.
 *
 * <p>The round stays open until traffic flows again ({@link #recovered()}). While it is open, a tunnel
 * re-established by the reconnect is not yet trusted: the connection stays DEGRADED until packets arrive on it.
 *
 * <p>Not thread-safe: owned by one connection on the policy thread.
 */
final class StallRepair {

    /** A repair to carry out now. */
    enum Step {
        /** Rekey the stalled Child SA. */
        NEW_CHILD_SA,
        /** Replace the IKE SA and all its Child SAs. */
        RECONNECT
    }

    private final Duration firstHoldOff;
    private final Duration maxHoldOff;
    /** Rounds that ended in a reconnect since traffic last flowed. */
    private int rounds;
    private boolean childRenewed;
    private boolean open;
    private Instant notBefore;

    /**
     * @param firstHoldOff the wait before the second round (e.g. {@code dpd_delay})
     * @param maxHoldOff   the longest wait between rounds
     */
    StallRepair(Duration firstHoldOff, Duration maxHoldOff) {
        if (firstHoldOff.isNegative() || firstHoldOff.isZero() || maxHoldOff.compareTo(firstHoldOff) < 0) {
            throw new IllegalArgumentException("hold-off needs 0 < first <= max: " + firstHoldOff + ", " + maxHoldOff);
        }
        this.firstHoldOff = firstHoldOff;
        this.maxHoldOff = maxHoldOff;
    }

    /**
     * A stall is seen at {@code now}.
     *
     * @return the step to take now, or {@code null} while the hold-off after the last round lasts
     */
    Step stalled(Instant now) {
        open = true;
        if (notBefore != null && now.isBefore(notBefore)) {
            return null;
        }
        notBefore = null;
        if (!childRenewed) {
            childRenewed = true;
            return Step.NEW_CHILD_SA;
        }
        childRenewed = false;
        rounds++;
        notBefore = now.plus(holdOff(rounds));
        return Step.RECONNECT;
    }

    /** Packets arrive again: the next stall starts a first round. */
    void recovered() {
        rounds = 0;
        childRenewed = false;
        open = false;
        notBefore = null;
    }

    /** A stall was seen and traffic has not flowed since. */
    boolean isOpen() {
        return open;
    }

    /** When the next step may be taken, or {@code null} when it may be taken at once. */
    Instant notBefore() {
        return notBefore;
    }

    private Duration holdOff(int round) {
        Duration d = firstHoldOff.multipliedBy(1L << Math.min(round - 1, 30));
        return d.compareTo(maxHoldOff) > 0 || d.isNegative() ? maxHoldOff : d;
    }
}
