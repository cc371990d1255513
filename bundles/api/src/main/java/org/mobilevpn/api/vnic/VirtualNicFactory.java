package org.mobilevpn.api.vnic;

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
}
