package org.mobilevpn.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.filter.SpdAction;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SpdRule;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.DnsStrategy;
import org.mobilevpn.api.vnic.TunnelOverhead;
import org.mobilevpn.api.vnic.VnicConfig;

/**
 * What the Child SAs and the profile mean for the virtual NIC and the SPD: the virtual IPs as the
 * NIC's addresses (RFC 7296 §3.15.1), the remote selectors (or the profile's {@code split_include})
 * as routes, the gateway's DNS servers when the profile asks for them, an MTU that leaves room for ESP,
 * and one PROTECT rule set per Child SA (RFC 4301 §4.4.1) with the profile's split-tunnel policy.
 */
final class TunnelLayout {
    private TunnelLayout() {
    }

    /** A Child SA's selectors with its stable id. */
    record ChildSelectors(int childSaId, List<TrafficSelector> localTs, List<TrafficSelector> remoteTs) {
    }

    /**
     * @param outbound     an outbound SA of the tunnel: its transform decides the ESP overhead
     * @param gateway      the gateway's outer address (family decides the outer header; kept reachable in full-tunnel mode)
     */
    static VnicConfig vnicConfig(PolicySettings settings, VpnProfile profile, List<InetAddress> virtualIps,
            List<InetAddress> dnsServers, List<String> dnsDomains, InetAddress gateway, EspSa outbound,
            List<ChildSelectors> children) {
        VnicConfig.Builder b = VnicConfig.builder().offload(settings.tunOffload())
                .mtu(mtu(settings.pathMtu(), gateway, outbound));
        virtualIps.forEach(vip -> b.address(IpPrefix.host(vip)));
        boolean full = false;
        Set<IpPrefix> routes = new LinkedHashSet<>();
        for (IpPrefix p : routedPrefixes(profile, children)) {
            if (!virtualIps.isEmpty() && virtualIps.stream().noneMatch(v -> sameFamily(v, p.address()))) {
                continue; // no source address of that family inside the tunnel
            }
            if (p.prefixLength() == 0) {
                full = true;
            } else {
                routes.add(p);
            }
        }
        routes.forEach(b::route);
        if (full) {
            b.fullTunnel(true).gateway(gateway);
        }
        excludedPrefixes(profile).forEach(b::excludedRoute);
        if (profile.dns() == DnsStrategy.RESOLV_CONF && !dnsServers.isEmpty()) {
            b.dnsStrategy(DnsStrategy.RESOLV_CONF);
            dnsServers.forEach(b::dnsServer);
            dnsDomains.forEach(b::searchDomain); // split DNS (RFC 8598) as search domains, only beside the gateway's servers
        }
        return b.build();
    }

    /** Largest inner packet that still fits the path after ESP (RFC 4303 §2) and UDP (RFC 3948) overhead. */
    static int mtu(int pathMtu, InetAddress gateway, EspSa outbound) {
        TunnelOverhead overhead = new TunnelOverhead(gateway instanceof Inet4Address ? 20 : 40,
                outbound.udpEncapsulated(), outbound.encryption().ivLength(), outbound.icvLength(),
                Math.max(4, outbound.encryption().blockSize()));
        return Math.max(576, overhead.innerMtu(pathMtu));
    }

    /** Every Child SA's PROTECT rules behind the profile's excludes; the default from the kill switch. */
    static SpdConfiguration spd(VpnProfile profile, List<ChildSelectors> children) {
        Set<SpdRule> rules = new LinkedHashSet<>();
        List<SpdRule> inboundChecks = new ArrayList<>();
        for (ChildSelectors c : children) {
            SpdConfiguration one = SpdConfiguration.remoteAccess(c.childSaId(), c.localTs(), c.remoteTs(),
                    profile.splitTunnelPolicy());
            rules.addAll(one.rules());
            inboundChecks.addAll(one.inboundChecks());
        }
        return new SpdConfiguration(new ArrayList<>(rules), profile.killSwitch() ? SpdAction.DISCARD : SpdAction.BYPASS,
                inboundChecks);
    }

    /**
     * The destinations the tunnel carries or the profile asks it to ({@code split_include}, else
     * {@code remote_ts}), of every address family, also one the tunnel has no virtual IP of or the gateway
     * narrowed away: the kill switch rules hold them all to the tunnel device (so IPv6 cannot leave in clear
     * beside an IPv4-only tunnel).
     */
    static List<IpPrefix> tunnelledPrefixes(VpnProfile profile, List<ChildSelectors> children) {
        Set<IpPrefix> out = new LinkedHashSet<>(routedPrefixes(profile, children));
        if (profile.splitInclude().isEmpty()) {
            profile.ike().remoteTs().forEach(ts -> out.addAll(AddressRanges.prefixes(ts.startAddress(), ts.endAddress())));
        }
        return List.copyOf(out);
    }

    /** {@code split_exclude} as prefixes. */
    static List<IpPrefix> excludedPrefixes(VpnProfile profile) {
        List<IpPrefix> out = new ArrayList<>();
        profile.splitExclude().forEach(ts -> out.addAll(AddressRanges.prefixes(ts.startAddress(), ts.endAddress())));
        return out;
    }

    private static List<IpPrefix> routedPrefixes(VpnProfile profile, List<ChildSelectors> children) {
        List<IpPrefix> out = new ArrayList<>();
        if (!profile.splitInclude().isEmpty()) {
            profile.splitInclude().forEach(ts -> out.addAll(AddressRanges.prefixes(ts.startAddress(), ts.endAddress())));
        } else {
            children.forEach(c -> c.remoteTs().forEach(
                    ts -> out.addAll(AddressRanges.prefixes(ts.startAddress(), ts.endAddress()))));
        }
        return out;
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return a.getAddress().length == b.getAddress().length;
    }
}
