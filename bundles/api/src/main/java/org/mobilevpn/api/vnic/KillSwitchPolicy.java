package org.mobilevpn.api.vnic;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.mobilevpn.api.net.IpPrefix;

/**
 * What one connection lets leave the host outside its tunnel, as the {@link KillSwitch} enforces it in
 * the kernel. Outside the tunnel always pass: loopback, the uplink's own DHCP and IPv6 neighbour
 * discovery, IKE (UDP to {@link #ikePorts()}) and ESP to the {@link #gateways()}, and the
 * {@link #exceptions()}. Packets from and into the tunnel devices pass too.
 *
 * @param killSwitch  true: everything else is dropped, whether or not a tunnel is up (the kill switch);
 *                    false: only the {@link #tunnelled()} destinations are held to the tunnel
 * @param gateways    the gateway's outer addresses (every address of {@code remote_addrs} known)
 * @param ikePorts    the gateway's UDP ports for IKE and ESP in UDP (e.g. 500 and 4500)
 * @param exceptions  destinations that leave outside the tunnel ({@code split_exclude})
 * @param tunnelled   destinations the tunnel carries while it is up (its routes, of every address family the
 *                    profile asks for, also one the tunnel got no address of): they may leave only through a
 *                    tunnel device, whatever route the host has for them (a more specific route, e.g. one a
 *                    DHCP server pushed, CVE-2024-3661); empty while no tunnel is up
 */
public record KillSwitchPolicy(boolean killSwitch, List<InetAddress> gateways, List<Integer> ikePorts,
        List<IpPrefix> exceptions, List<IpPrefix> tunnelled) {

    /** Copies the lists; ports must be 1..65535. */
    public KillSwitchPolicy {
        gateways = List.copyOf(gateways);
        ikePorts = List.copyOf(ikePorts);
        exceptions = List.copyOf(exceptions);
        tunnelled = List.copyOf(tunnelled);
        for (Integer p : ikePorts) {
            if (Objects.requireNonNull(p, "port") < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of 1..65535: " + p);
            }
        }
    }

    /** Whether these rules drop anything at all: a kill switch, or a tunnel whose destinations are held to it. */
    public boolean restricts() {
        return killSwitch || !tunnelled.isEmpty();
    }
}
