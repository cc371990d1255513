package org.mobilevpn.api.esp;

/** Where an SA stands relative to its limits; only ever moves forward. */
public enum LifetimeState {
    /** Below every soft limit. */
    ACTIVE,
    /** A soft limit was reached: rekey now; packets still flow. */
    SOFT_EXPIRED,
    /** A hard limit was reached: the transform processes no more packets. */
    HARD_EXPIRED
}
