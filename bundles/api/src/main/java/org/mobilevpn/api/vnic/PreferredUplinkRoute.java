package org.mobilevpn.api.vnic;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A host route that sends what goes to a gateway out of the uplink a profile's {@code uplinks} prefers, made before
 * the connection has a tunnel ({@link VirtualNicFactory#routeGateway}): the first IKE_SA_INIT already leaves there.
 * Once the connection's NIC routes the gateway itself ({@link VirtualNic#routeGateway}), the route is the NIC's: it
 * follows the connection's moves and goes with the NIC, and {@link #close()} leaves it alone.
 *
 * @since 2.3
 */
@ProviderType
public interface PreferredUplinkRoute extends AutoCloseable {

    /**
     * Removes the route unless a NIC has taken it over: a connection that failed or was aborted before its tunnel
     * was up leaves nothing behind. Idempotent.
     */
    @Override
    void close();
}
