package org.mobilevpn.policy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.mobilevpn.api.ConnectionState;

/** Who hears about connection changes: EventAdmin in the framework, a recorder in tests. */
interface ConnectionEvents {

    /** The state changed ({@code previous != state}). */
    void stateChanged(String name, ConnectionState previous, ConnectionState state, String reason, String message);

    /** An IKE SA or Child SA was rekeyed; the state ({@code state}: CONNECTED or DEGRADED) did not change. */
    void rekeyed(String name, ConnectionState state, String reason, String message);

    /** The IKE SA moved to another path (MOBIKE) after {@code outage} without one. */
    void moved(String name, InetSocketAddress oldLocal, InetSocketAddress newLocal, InetSocketAddress oldGateway,
            InetSocketAddress newGateway, Duration outage);
}
