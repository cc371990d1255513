/**
 * The Policy Manager as a service: the connections the profiles describe, brought up and kept up
 * on request, and their state as immutable snapshots.
 *
 * <p>{@link org.mobilevpn.api.policy.VpnManager} lists, connects and disconnects connections by
 * name and reports each one as a {@link org.mobilevpn.api.policy.ConnectionStatus}: the lifecycle
 * state, the last error, addresses, NAT, virtual IP and DNS, one
 * {@link org.mobilevpn.api.policy.ChildSaStatus} per Child SA with its algorithms, SPIs and counters,
 * and timing figures (handshake, liveness round trip, uptime). Snapshots never carry key material.
 * An operator may also rekey a connection's IKE SA or Child SAs by hand (since 1.2).
 *
 * <p>Every state change and every rekey is also posted to EventAdmin under
 * {@link org.mobilevpn.api.policy.VpnManager#TOPIC_PREFIX}{@code <STATE>} (or
 * {@link org.mobilevpn.api.policy.VpnManager#TOPIC_REKEYED}) with the properties named there;
 * {@link org.mobilevpn.api.policy.ConnectionEventLog} keeps the most recent of them as
 * {@link org.mobilevpn.api.policy.ConnectionEvent}s.
 *
 * <p>Since 2.2: the uplink in use and the time moves took
 * ({@link org.mobilevpn.api.policy.ConnectionStatus#uplink()}, {@link org.mobilevpn.api.policy.ConnectionStatus#moveOutage()}),
 * the split DNS domains ({@link org.mobilevpn.api.policy.ConnectionStatus#dnsDomains()}).
 *
 * <p>2.3.0: {@link org.mobilevpn.api.policy.ConnectionRecord#pending()}: a connection handed over while a rekey of
 * the gateway's is half done (the constructor without it stays).
 */
@Export
@Version("2.3.0")
package org.mobilevpn.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
