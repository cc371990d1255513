package org.mobilevpn.policy;

import java.time.Duration;

/**
 * Tunables of the policy manager (from its metatype configuration; tests pass their own).
 *
 * @param pathMtu           MTU of the path to the gateway; the virtual NIC's MTU is derived from it
 * @param tunOffload        let the kernel hand TSO super-packets to the virtual NIC
 * @param backoffInitial    first reconnect delay
 * @param backoffMax        cap of the reconnect delay
 * @param backoffJitter     random spread of each delay, a fraction in [0, 1)
 * @param disconnectTimeout how long a disconnect waits for the gateway's answer to our DELETE
 * @param childlessGrace    how long an IKE SA may live without any Child SA before it is rebuilt
 * @param childSaLiveness   watch whether packets sent on a Child SA get answers, and repair a stalled one
 *                          ({@link ChildSaLiveness}, within the profile's {@code dpd_delay})
 */
record PolicySettings(int pathMtu, boolean tunOffload, Duration backoffInitial, Duration backoffMax,
        double backoffJitter, Duration disconnectTimeout, Duration childlessGrace, boolean childSaLiveness) {

    /** The defaults: 1500, offload on, 1 s .. 2 min with ±20 %, 5 s, 10 s, Child SA liveness on. */
    static PolicySettings defaults() {
        return new PolicySettings(1500, true, Duration.ofSeconds(1), Duration.ofMinutes(2), 0.2,
                Duration.ofSeconds(5), Duration.ofSeconds(10), true);
    }
}
