package org.mobilevpn.policy;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Where a connection's IKE and ESP travel: out of {@code uplink} from {@code local} to the gateway's {@code remote}
 * address.
 *
 * @param uplink    the interface name, e.g. {@code eth0}
 * @param local     our source address on it
 * @param remote    the gateway address it reaches
 * @param nextHop   the router the route names, {@code null} when the gateway is on the link
 * @param preferred the path follows the profile's {@code uplinks} against the kernel's own choice
 */
record NetworkPath(String uplink, InetAddress local, InetAddress remote, InetAddress nextHop, boolean preferred) {

    NetworkPath {
        Objects.requireNonNull(uplink, "uplink");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }

    /** Whether this path uses the same addresses as another (which router or preference is beside the point). */
    boolean sameAddresses(NetworkPath other) {
        return other != null && local.equals(other.local) && remote.equals(other.remote);
    }

    /** {@code eth0 198.51.100.66 -> 198.51.100.1}. */
    @Override
    public String toString() {
        return uplink + " " + local.getHostAddress() + " -> " + remote.getHostAddress();
    }
}
