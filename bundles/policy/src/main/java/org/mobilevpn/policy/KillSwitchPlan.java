package org.mobilevpn.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.KillSwitchPolicy;

/**
 * What a connection asks of the {@link org.mobilevpn.api.vnic.KillSwitch}: with {@code kill_switch}, nothing
 * but its IKE and ESP to the gateways of {@code remote_addrs} and its {@code split_exclude} leaves outside the
 * tunnel, from the moment it is wanted until {@code vpn:down}; without, the destinations of a tunnel that is up
 * still leave only through it (TunnelVision). The gateway's UDP ports are those of {@code remote_addrs} and
 * 4500, where IKE and ESP in UDP move behind a NAT (RFC 7296 §2.23, RFC 3948).
 */
final class KillSwitchPlan {
    static final int NAT_T_PORT = 4500;

    private KillSwitchPlan() {
    }

    /**
     * @param gateways  the gateway addresses known (resolved) so far
     * @param tunnelled the destinations of the tunnel now up, or none
     */
    static KillSwitchPolicy policy(VpnProfile profile, Collection<InetAddress> gateways, List<IpPrefix> tunnelled) {
        TreeSet<Integer> ports = new TreeSet<>(List.of(NAT_T_PORT));
        profile.remoteAddrs().forEach(g -> ports.add(g.port()));
        return new KillSwitchPolicy(profile.killSwitch(), new ArrayList<>(gateways), new ArrayList<>(ports),
                TunnelLayout.excludedPrefixes(profile), tunnelled);
    }
}
