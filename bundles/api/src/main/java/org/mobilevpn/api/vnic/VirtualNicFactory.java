package org.mobilevpn.api.vnic;

import java.net.InetAddress;
import org.osgi.annotation.versioning.ProviderType;

/** Opens virtual NICs. One service per network namespace the runtime lives in. */
@ProviderType
public interface VirtualNicFactory {

    /**
     * Creates the TUN device, applies addresses, MTU, routes and DNS, and brings the link up.
     * On failure nothing is left behind.
     *
     * @throws VnicException with a message naming the cause (no /dev/net/tun, no CAP_NET_ADMIN,
     *         name taken, an {@code ip} command refused ...)
     */
    VirtualNic open(VnicConfig config) throws VnicException;

    /**
     * Sends what goes to {@code gateway} out of {@code uplink} (through {@code nextHop}, {@code null} when the gateway
     * is on that link) before the connection has a NIC: a profile's {@code uplinks} preferred against the kernel's
     * routing holds from the first IKE_SA_INIT on. A NIC of this factory that later routes the same gateway
     * ({@link VirtualNic#routeGateway}) takes the route over; until then the returned handle owns it. Replaces an
     * earlier route of this factory to that address. The route is journaled like a NIC's, so a crash leaves nothing
     * the next start does not remove.
     *
     * @throws VnicException when the route cannot be set (the message names the command and the kernel's answer), or
     *         when this factory cannot set such routes
     * @since 2.3
     */
    default PreferredUplinkRoute routeGateway(InetAddress gateway, String uplink, InetAddress nextHop)
            throws VnicException {
        throw new VnicException("this virtual NIC factory cannot route the gateway before a tunnel exists");
    }
}
