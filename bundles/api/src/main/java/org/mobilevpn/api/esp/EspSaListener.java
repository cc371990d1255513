package org.mobilevpn.api.esp;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told once per SA and level when a lifetime limit is reached, so IKE can rekey before the hard limit.
 * Called on the packet-processing thread: return quickly, never block (hand the event to another thread).
 * The same information can be polled with {@link EspTransform#lifetimeState()}.
 */
@ConsumerType
public interface EspSaListener {

    /** Nothing to report to: for callers that poll. */
    EspSaListener NONE = new EspSaListener() {
        @Override
        public void softLimitReached(EspTransform transform, LifetimeLimit limit) {
        }

        @Override
        public void hardLimitReached(EspTransform transform, LifetimeLimit limit) {
        }
    };

    /** A soft limit was reached: start a rekey. Called at most once per transform. */
    void softLimitReached(EspTransform transform, LifetimeLimit limit);

    /** A hard limit was reached: the transform now refuses packets. Called at most once per transform. */
    void hardLimitReached(EspTransform transform, LifetimeLimit limit);
}
