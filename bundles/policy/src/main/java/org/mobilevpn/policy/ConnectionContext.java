package org.mobilevpn.policy;

import java.time.Clock;
import java.util.function.DoubleSupplier;
import org.osgi.service.log.Logger;

/**
 * Everything a {@link Connection} works with besides its profile, injected so tests drive it with
 * fakes, a manual clock and a manual scheduler.
 *
 * @param services  IKE engine, data path, vnic factory, name resolution
 * @param events    where state changes and rekeys are announced
 * @param log       the log (never given a secret)
 * @param scheduler the policy thread
 * @param clock     for timestamps and durations
 * @param random    uniform [0, 1) values for the backoff jitter
 * @param settings  tunables
 * @param wanted    remembers which connections the operator wants up (persisted)
 */
record ConnectionContext(ConnectionServices services, ConnectionEvents events, Logger log,
        PolicyScheduler scheduler, Clock clock, DoubleSupplier random, PolicySettings settings, WantedStore wanted) {

    /** Remembers a connection's wish to be up. */
    interface WantedStore {
        void set(String name, boolean wanted);
    }
}
