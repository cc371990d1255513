package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.filter.SpdAction;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.profile.GatewayAddress;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.DnsStrategy;
import org.mobilevpn.api.vnic.VnicConfig;

class TunnelLayoutTest {
    static final PolicySettings SETTINGS = PolicySettings.defaults();

    static VpnProfile.Builder profile() {
        return VpnProfile.builder(IkeSessionConfig.builder("office").localId(IkeIdentity.parse("client@vpn.test"))
                .psk(SecretBytes.copyOf("k".getBytes(StandardCharsets.UTF_8))))
                .remoteAddrs(List.of(new GatewayAddress("198.51.100.1", 500)));
    }

    static EspSa sa(EncryptionAlgorithm enc, IntegrityAlgorithm integ, boolean udp) {
        return EspSa.of(1, 0x1000, SaDirection.OUTBOUND, enc, integ,
                EspKeys.copyOf(new byte[enc.keyLength()], new byte[enc.saltLength()], new byte[integ.keyLength()]), false,
                udp ? UdpEncapsulation.DEFAULT : null);
    }

    static List<TunnelLayout.ChildSelectors> child(String... remote) {
        return List.of(new TunnelLayout.ChildSelectors(7, List.of(TrafficSelector.parse("198.18.0.1/32")),
                List.of(remote).stream().map(TrafficSelector::parse).toList()));
    }

    @Test
    void mtuLeavesRoomForEspAndUdp() {
        // 1500 - 20 IP - 8 UDP - 8 ESP header - 8 IV - 16 ICV = 1440, minus pad length and next header = 1438
        assertEquals(1438, TunnelLayout.mtu(1500, Fakes.ip("198.51.100.1"), sa(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, true)));
        assertEquals(1446, TunnelLayout.mtu(1500, Fakes.ip("198.51.100.1"), sa(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, false)));
        // CBC: 16-byte IV, 16-byte blocks: 1500-20-8-8-16-16 = 1432 -> 1424 (block) - 2 = 1422
        assertEquals(1422, TunnelLayout.mtu(1500, Fakes.ip("198.51.100.1"), sa(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_256_128, true)));
        assertEquals(1418, TunnelLayout.mtu(1500, Fakes.ip("2001:db8:100::1"), sa(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, true)));
    }

    @Test
    void splitTunnelRoutesTheRemoteSelectors() {
        VnicConfig c = TunnelLayout.vnicConfig(SETTINGS, profile().build(), List.of(Fakes.ip("198.18.0.1")),
                List.of(Fakes.ip("203.0.113.53")), List.of("corp.example"), Fakes.ip("198.51.100.1"),
                sa(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, true), child("203.0.113.0/24", "2001:db8:113::/64"));
        assertEquals(List.of(IpPrefix.parse("198.18.0.1/32")), c.addresses());
        assertEquals(List.of(IpPrefix.parse("203.0.113.0/24")), c.routes(), "no IPv6 route without an IPv6 virtual IP");
        assertFalse(c.fullTunnel());
        assertEquals(DnsStrategy.NONE, c.dnsStrategy(), "the profile did not ask for DNS");
        assertEquals(List.of(), c.searchDomains(), "nor for split DNS");
        assertTrue(c.offload());
    }

    @Test
    void everythingThroughTheTunnelKeepsTheGatewayReachable() {
        VnicConfig c = TunnelLayout.vnicConfig(SETTINGS, profile().dns(DnsStrategy.RESOLV_CONF).build(),
                List.of(Fakes.ip("198.18.0.1")), List.of(Fakes.ip("203.0.113.53")), List.of("corp.example", "lab.example"),
                Fakes.ip("198.51.100.1"),
                sa(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, true), child("0.0.0.0/0"));
        assertTrue(c.fullTunnel());
        assertEquals(List.of(Fakes.ip("198.51.100.1")), c.gateways());
        assertEquals(List.of(), c.routes());
        assertEquals(DnsStrategy.RESOLV_CONF, c.dnsStrategy());
        assertEquals(List.of(Fakes.ip("203.0.113.53")), c.dnsServers());
        assertEquals(List.of("corp.example", "lab.example"), c.searchDomains(), "split DNS domains searched");
    }

    @Test
    void splitDnsDomainsNeedTheGatewaysServers() {
        VnicConfig c = TunnelLayout.vnicConfig(SETTINGS, profile().dns(DnsStrategy.RESOLV_CONF).build(),
                List.of(Fakes.ip("198.18.0.1")), List.of(), List.of("corp.example"), Fakes.ip("198.51.100.1"),
                sa(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, true), child("203.0.113.0/24"));
        assertEquals(DnsStrategy.NONE, c.dnsStrategy(), "a resolv.conf of search lines only would lose every server");
        assertEquals(List.of(), c.searchDomains());
    }

    @Test
    void splitIncludeDecidesWhatIsRouted() {
        VpnProfile p = profile().splitInclude(List.of(TrafficSelector.parse("203.0.113.0/25"))).build();
        VnicConfig c = TunnelLayout.vnicConfig(SETTINGS, p, List.of(), List.of(), List.of(), Fakes.ip("198.51.100.1"),
                sa(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, true), child("0.0.0.0/0"));
        assertEquals(List.of(IpPrefix.parse("203.0.113.0/25")), c.routes());
        assertFalse(c.fullTunnel());
    }

    @Test
    void spdProtectsThroughTheChildSaAndTheKillSwitchDecidesTheRest() {
        SpdConfiguration open = TunnelLayout.spd(profile().build(), child("203.0.113.0/24"));
        assertEquals(SpdAction.BYPASS, open.defaultAction());
        assertEquals(1, open.rules().size());
        assertEquals(SpdAction.PROTECT, open.rules().get(0).action());
        assertEquals(7, open.rules().get(0).childSaId());
        assertEquals(List.of(TrafficSelector.parse("203.0.113.0/24")),
                open.rules().get(0).remoteSelectors());

        SpdConfiguration closed = TunnelLayout.spd(profile().killSwitch(true)
                .splitExclude(List.of(TrafficSelector.parse("203.0.113.9/32"))).build(),
                child("203.0.113.0/24"));
        assertEquals(SpdAction.DISCARD, closed.defaultAction());
        assertEquals(SpdAction.BYPASS, closed.rules().get(0).action(), "excludes come first");
        assertEquals(SpdAction.PROTECT, closed.rules().get(1).action());
    }

    @Test
    void decryptedPacketsAreCheckedAgainstWhatTheGatewayAgreedNotTheSplitInclude() {
        SpdConfiguration spd = TunnelLayout.spd(profile().splitInclude(List.of(
                TrafficSelector.parse("203.0.113.0/24"),
                TrafficSelector.parse("198.19.0.0/16"))).build(), child("203.0.113.0/25"));
        assertEquals(List.of(TrafficSelector.parse("198.19.0.0/16")),
                spd.rules().get(1).remoteSelectors(), "outbound follows the include");
        assertEquals(1, spd.inboundChecks().size());
        assertEquals(7, spd.inboundChecks().get(0).childSaId());
        assertEquals(List.of(TrafficSelector.parse("203.0.113.0/25")),
                spd.inboundChecks().get(0).remoteSelectors(), "inbound: the negotiated TSr");
        assertEquals(List.of(TrafficSelector.parse("198.18.0.1/32")),
                spd.inboundChecks().get(0).localSelectors(), "inbound: the negotiated TSi");
    }

    @Test
    void theKillSwitchHoldsEveryFamilyTheProfileTunnelsAndExcludesAreRoutedOutside() {
        VpnProfile.Builder b = profile().splitExclude(List.of(TrafficSelector.parse("198.19.0.0/24")));
        b.ike().remoteTs(List.of(TrafficSelector.parse("0.0.0.0/0"), TrafficSelector.parse("::/0")));
        VpnProfile full = b.build();
        List<TunnelLayout.ChildSelectors> v4only = child("0.0.0.0/0");
        assertEquals(List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")), TunnelLayout.tunnelledPrefixes(full, v4only),
                "the gateway agreed to IPv4 only; IPv6 stays held to the tunnel as the profile asked");
        VpnProfile includes = profile().splitInclude(List.of(TrafficSelector.parse("::/0"),
                TrafficSelector.parse("0.0.0.0/0"))).build();
        assertEquals(List.of(IpPrefix.parse("::/0"), IpPrefix.parse("0.0.0.0/0")),
                TunnelLayout.tunnelledPrefixes(includes, v4only), "IPv6 held to the tunnel though it has no IPv6 address");
        VnicConfig nic = TunnelLayout.vnicConfig(SETTINGS, full, List.of(Fakes.ip("198.18.0.1")), List.of(), List.of(),
                Fakes.ip("198.51.100.1"), sa(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, true), v4only);
        assertTrue(nic.fullTunnel());
        assertEquals(List.of(IpPrefix.parse("198.19.0.0/24")), nic.excludedRoutes());
    }
}
