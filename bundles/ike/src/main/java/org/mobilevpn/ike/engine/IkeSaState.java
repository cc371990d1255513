package org.mobilevpn.ike.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an IKE SA is in its life (RFC 7296 §1.2-1.4, §2.8, §2.18, §2.25.2), one value instead of a set of
 * flags. The legal moves:
 *
 * <pre>
 * CREATING ─► ESTABLISHED ◄─► REKEYING          (our own IKE rekey in flight)
 *                  │              │
 *                  ├─► RETIRED ◄──┘             (replaced by a rekey; only its DELETE may still run)
 *                  └─► DELETING ◄── RETIRED, REKEYING
 * any ─► CLOSED                                   (keys wiped; nothing runs on it any more)
 * </pre>
 *
 * DELETING wins over an IKE rekey still in flight: the rekey's answer leaves the SA DELETING (§2.25.2).
 */
enum IkeSaState {
    /** IKE_SA_INIT and IKE_AUTH (or the gateway's rekey creating it) are still running. */
    CREATING,
    /** Authenticated and in use (or, not yet current, the survivor-to-be of a rekey collision). */
    ESTABLISHED,
    /** Established, with our IKE rekey of it in flight: a rekey of the gateway now collides (§2.8.2). */
    REKEYING,
    /** Replaced by a rekey: its Child SAs moved on; only its DELETE may still run. */
    RETIRED,
    /** Our DELETE of it is queued or on its way: rekeys of it are refused or undone (§2.25.2). */
    DELETING,
    /** Wiped and forgotten: deleted, or the session ended. */
    CLOSED;

    private Set<IkeSaState> next() {
        return switch (this) {
            case CREATING -> EnumSet.of(ESTABLISHED, CLOSED);
            case ESTABLISHED -> EnumSet.of(REKEYING, RETIRED, DELETING, CLOSED);
            case REKEYING -> EnumSet.of(ESTABLISHED, RETIRED, DELETING, CLOSED);
            case RETIRED -> EnumSet.of(DELETING, CLOSED);
            // A second DELETE of the same SA (closing twice) changes nothing; closing twice neither.
            case DELETING -> EnumSet.of(DELETING, CLOSED);
            case CLOSED -> EnumSet.of(CLOSED);
        };
    }

    boolean canMoveTo(IkeSaState target) {
        return next().contains(target);
    }

    /** Authenticated at some point: everything after CREATING but CLOSED. */
    boolean established() {
        return this != CREATING && this != CLOSED;
    }

    /** Retired, being deleted or gone: no new work (a rekey of it) is accepted. */
    boolean goingAway() {
        return this == RETIRED || this == DELETING || this == CLOSED;
    }
}
