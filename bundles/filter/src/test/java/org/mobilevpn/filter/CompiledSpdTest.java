package org.mobilevpn.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.filter.SecurityPolicyDatabase;
import org.mobilevpn.api.filter.SpdAction;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SpdRule;
import org.mobilevpn.api.filter.SplitTunnelPolicy;
import org.mobilevpn.api.ipsec.TrafficSelector;

/** Ordered SPD lookup (RFC 4301 §4.4.1, §5.1) and the inbound selector check (§5.2). */
class CompiledSpdTest {

    private static final TrafficSelector VIP = TrafficSelector.parse("198.18.0.1/32");
    private static final TrafficSelector LAN = TrafficSelector.parse("203.0.113.0/24");
    private static final TrafficSelector VIP6 = TrafficSelector.parse("2001:db8:1::1");
    private static final TrafficSelector LAN6 = TrafficSelector.parse("2001:db8:2::/48");

    private final SecurityPolicyDatabaseFactoryComponent factory = new SecurityPolicyDatabaseFactoryComponent();

    private SecurityPolicyDatabase compile(SpdAction defaultAction, SpdRule... rules) {
        return factory.compile(new SpdConfiguration(List.of(rules), defaultAction));
    }

    @Test
    void theFirstMatchingRuleWins() {
        SpdRule bypassDns = SpdRule.bypass("dns", List.of(VIP),
                List.of(TrafficSelector.parse("203.0.113.53").withProtocolAndPorts(17, 53, 53)));
        SpdRule protectLan = SpdRule.protect("lan", 7, List.of(VIP), List.of(LAN));
        SecurityPolicyDatabase spd = compile(SpdAction.DISCARD, bypassDns, protectLan);
        assertSame(bypassDns, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.53", 17, 5000, 53)));
        assertSame(protectLan, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.53", 6, 5000, 53)));
        assertSame(protectLan, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.53", 17, 5000, 54)));
        assertSame(protectLan, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.255", 1, 0, 0)));
        assertEquals(SpdAction.DISCARD, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.114.0", 6, 1, 2)).action());
        assertEquals(SpdAction.DISCARD, spd.lookupOutbound(Packets.ipv4("198.18.0.2", "203.0.113.1", 6, 1, 2)).action(),
                "source outside the local selector");
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv4("198.18.0.2", "203.0.113.1", 6, 1, 2)));
    }

    @Test
    void rangesAreInclusiveAtBothEnds() {
        TrafficSelector range = new TrafficSelector(6, Packets.ip("203.0.113.10"), Packets.ip("203.0.113.20"), 1000, 2000);
        SpdRule rule = SpdRule.protect("range", 1, List.of(TrafficSelector.ANY_IPV4), List.of(range));
        SecurityPolicyDatabase spd = compile(SpdAction.BYPASS, rule);
        for (String address : new String[] {"203.0.113.10", "203.0.113.15", "203.0.113.20"}) {
            for (int port : new int[] {1000, 1500, 2000}) {
                assertSame(rule, spd.lookupOutbound(Packets.ipv4("198.18.0.1", address, 6, 9, port)), address + ":" + port);
            }
        }
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.9", 6, 9, 1500)));
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.21", 6, 9, 1500)));
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.15", 6, 9, 999)));
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.15", 6, 9, 2001)));
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.15", 17, 9, 1500)),
                "protocol");
        assertEquals(SpdAction.BYPASS, spd.defaultRule().action());
    }

    @Test
    void localPortsAndIcmpTypeAndCode() {
        SpdRule sshFromUs = SpdRule.protect("ssh", 1,
                List.of(TrafficSelector.ANY_IPV4.withProtocolAndPorts(6, 22, 22)), List.of(TrafficSelector.ANY_IPV4));
        SpdRule echoRequests = SpdRule.bypass("ping",
                List.of(TrafficSelector.ANY_IPV4), List.of(LAN.withProtocolAndPorts(1, 0x0800, 0x08FF)));
        SecurityPolicyDatabase spd = compile(SpdAction.DISCARD, sshFromUs, echoRequests);
        assertSame(sshFromUs, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "198.51.100.7", 6, 22, 50000)));
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv4("198.18.0.1", "198.51.100.7", 6, 23, 22)));
        assertSame(echoRequests, spd.lookupOutbound(Packets.icmp4("198.18.0.1", "203.0.113.2", 8, 0)));
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.icmp4("198.18.0.1", "203.0.113.2", 0, 0)), "echo reply");
    }

    @Test
    void fragmentsWithoutPortsMatchOnlyAnyPortSelectors() {
        SpdRule web = SpdRule.protect("web", 1, List.of(VIP), List.of(LAN.withProtocolAndPorts(6, 443, 443)));
        SpdRule lan = SpdRule.protect("lan", 2, List.of(VIP), List.of(LAN));
        SecurityPolicyDatabase spd = compile(SpdAction.DISCARD, web, lan);
        ByteBuffer first = Packets.ipv4("198.18.0.1", "203.0.113.2", 6, 5000, 443);
        assertSame(web, spd.lookupOutbound(first));
        ByteBuffer later = Packets.ipv4("198.18.0.1", "203.0.113.2", 6, 5000, 443);
        later.putShort(6, (short) 100);
        assertSame(lan, spd.lookupOutbound(later));
    }

    @Test
    void ipv6SelectorsAndFamiliesStaySeparate() {
        SpdRule v6 = SpdRule.protect("v6", 3, List.of(VIP6), List.of(LAN6));
        SpdRule v4 = SpdRule.protect("v4", 4, List.of(VIP), List.of(LAN));
        SecurityPolicyDatabase spd = compile(SpdAction.DISCARD, v6, v4);
        assertSame(v6, spd.lookupOutbound(Packets.ipv6("2001:db8:1::1", "2001:db8:2:ffff::1", 17, 1, 2)));
        assertSame(v6, spd.lookupOutbound(Packets.ipv6("2001:db8:1::1", "2001:db8:2::", 58, 0x8000, 0, 0)));
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv6("2001:db8:1::1", "2001:db8:3::", 17, 1, 2)));
        assertSame(spd.defaultRule(), spd.lookupOutbound(Packets.ipv6("2001:db8:1::2", "2001:db8:2::1", 17, 1, 2)));
        assertSame(v4, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.9", 17, 1, 2)));
        // An IPv4 address inside the IPv6 range's low bits must not match the IPv6 rule, nor the reverse.
        SecurityPolicyDatabase any6 = compile(SpdAction.DISCARD,
                SpdRule.protect("all6", 1, List.of(TrafficSelector.ANY_IPV6), List.of(TrafficSelector.ANY_IPV6)));
        assertSame(any6.defaultRule(), any6.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.9", 17, 1, 2)));
    }

    @Test
    void malformedPacketsGetTheDiscardRule() {
        SecurityPolicyDatabase spd = compile(SpdAction.BYPASS,
                SpdRule.protect("all", 1, List.of(TrafficSelector.ANY_IPV4), List.of(TrafficSelector.ANY_IPV4)));
        SpdRule malformed = spd.lookupOutbound(ByteBuffer.allocate(10));
        assertSame(spd.malformedRule(), malformed);
        assertEquals(SpdAction.DISCARD, malformed.action());
    }

    @Test
    void inboundPacketsMustComeFromTheRemoteSelectorsToTheLocalOnes() {
        SpdRule lan = SpdRule.protect("lan", 7, List.of(VIP), List.of(LAN.withProtocolAndPorts(6, 80, 80)));
        SpdRule other = SpdRule.protect("other", 8, List.of(VIP), List.of(TrafficSelector.parse("198.19.0.0/24")));
        SecurityPolicyDatabase spd = compile(SpdAction.DISCARD, lan, other);
        assertTrue(spd.checkInbound(7, Packets.ipv4("203.0.113.2", "198.18.0.1", 6, 80, 40000)));
        assertFalse(spd.checkInbound(7, Packets.ipv4("203.0.113.2", "198.18.0.1", 6, 40000, 80)), "ports swap inbound");
        assertFalse(spd.checkInbound(7, Packets.ipv4("198.18.0.1", "203.0.113.2", 6, 40000, 80)), "outbound direction");
        assertFalse(spd.checkInbound(7, Packets.ipv4("198.19.0.5", "198.18.0.1", 6, 80, 40000)), "another SA's source");
        assertTrue(spd.checkInbound(8, Packets.ipv4("198.19.0.5", "198.18.0.1", 17, 1, 2)));
        assertFalse(spd.checkInbound(9, Packets.ipv4("198.19.0.5", "198.18.0.1", 17, 1, 2)), "unknown Child SA");
        assertFalse(spd.checkInbound(7, ByteBuffer.allocate(3)), "malformed");
        assertFalse(spd.checkInbound(-1, Packets.ipv4("198.19.0.5", "198.18.0.1", 17, 1, 2)));

        // Sparse ids (no direct table) behave the same.
        SpdRule far = SpdRule.protect("far", 2_000_000_000, List.of(VIP), List.of(LAN));
        SecurityPolicyDatabase sparse = compile(SpdAction.DISCARD, lan, far);
        assertTrue(sparse.checkInbound(2_000_000_000, Packets.ipv4("203.0.113.9", "198.18.0.1", 17, 1, 2)));
        assertTrue(sparse.checkInbound(7, Packets.ipv4("203.0.113.2", "198.18.0.1", 6, 80, 40000)));
        assertFalse(sparse.checkInbound(8, Packets.ipv4("203.0.113.2", "198.18.0.1", 6, 80, 40000)));
    }

    @Test
    void splitTunnelExcludesBypassIncludesProtectAndTheKillSwitchDrops() {
        List<TrafficSelector> local = List.of(VIP);
        List<TrafficSelector> remote = List.of(TrafficSelector.ANY_IPV4);
        SplitTunnelPolicy policy = new SplitTunnelPolicy(List.of(LAN, TrafficSelector.parse("198.19.0.0/16")),
                List.of(TrafficSelector.parse("203.0.113.128/25")), true);
        SecurityPolicyDatabase spd = factory.compile(SpdConfiguration.remoteAccess(5, local, remote, policy));
        assertEquals(SpdAction.PROTECT, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.1", 6, 1, 2)).action());
        assertEquals(5, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "198.19.200.1", 6, 1, 2)).childSaId());
        assertEquals(SpdAction.BYPASS, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "203.0.113.200", 6, 1, 2)).action());
        assertEquals(SpdAction.DISCARD, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "198.51.100.9", 6, 1, 2)).action());
        assertTrue(spd.checkInbound(5, Packets.ipv4("203.0.113.1", "198.18.0.1", 6, 2, 1)));
        assertTrue(spd.checkInbound(5, Packets.ipv4("198.51.100.9", "198.18.0.1", 6, 2, 1)),
                "not included, but the gateway agreed to it (TSr 0.0.0.0/0)");

        SecurityPolicyDatabase full = factory.compile(SpdConfiguration.remoteAccess(5, local, remote,
                SplitTunnelPolicy.FULL_TUNNEL));
        assertEquals(SpdAction.PROTECT, full.lookupOutbound(Packets.ipv4("198.18.0.1", "198.51.100.9", 6, 1, 2)).action());
        assertEquals(SpdAction.BYPASS, full.lookupOutbound(Packets.ipv4("198.18.0.2", "198.51.100.9", 6, 1, 2)).action(),
                "not from the virtual IP, no kill switch: bypass");
    }

    /** Issue 12, finding 7: RFC 4301 §5.2 checks a decrypted packet against its SA's selectors, not the profile's. */
    @Test
    void decryptedPacketsAreCheckedAgainstTheNegotiatedSelectorsNotTheSplitInclude() {
        // the profile includes 203.0.113.0/24 and 198.19.0.0/16; the gateway narrowed TSr to 203.0.113.0/25
        SplitTunnelPolicy policy = new SplitTunnelPolicy(List.of(LAN, TrafficSelector.parse("198.19.0.0/16")),
                List.of(), false);
        SecurityPolicyDatabase spd = factory.compile(SpdConfiguration.remoteAccess(5, List.of(VIP),
                List.of(TrafficSelector.parse("203.0.113.0/25")), policy));
        assertTrue(spd.checkInbound(5, Packets.ipv4("203.0.113.9", "198.18.0.1", 6, 2, 1)), "inside TSr");
        assertFalse(spd.checkInbound(5, Packets.ipv4("198.19.0.9", "198.18.0.1", 6, 2, 1)),
                "included by the profile, but the gateway never agreed to it");
        assertFalse(spd.checkInbound(5, Packets.ipv4("203.0.113.200", "198.18.0.1", 6, 2, 1)),
                "inside the include, outside TSr");
        assertFalse(spd.checkInbound(5, Packets.ipv4("203.0.113.9", "198.18.0.2", 6, 2, 1)), "not to TSi");
        assertEquals(SpdAction.PROTECT, spd.lookupOutbound(Packets.ipv4("198.18.0.1", "198.19.0.9", 6, 1, 2)).action(),
                "outbound still follows the include");

        // an include narrower than TSr: packets from the rest of TSr are still the SA's own
        SecurityPolicyDatabase narrow = factory.compile(SpdConfiguration.remoteAccess(5, List.of(VIP),
                List.of(TrafficSelector.ANY_IPV4), new SplitTunnelPolicy(List.of(LAN), List.of(), false)));
        assertTrue(narrow.checkInbound(5, Packets.ipv4("198.51.100.9", "198.18.0.1", 6, 2, 1)));
    }

    @Test
    void aThousandRulesGiveTheSameAnswersAsALinearScan() {
        Random random = new Random(5);
        List<SpdRule> rules = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int a = random.nextInt(1 << 16);
            int prefix = 16 + random.nextInt(17);
            String net = "10." + (a >>> 8) + "." + (a & 0xFF) + ".0/" + Math.min(prefix, 24);
            TrafficSelector remote = TrafficSelector.parse(net);
            if (random.nextInt(4) == 0) {
                int port = random.nextInt(1024);
                remote = remote.withProtocolAndPorts(random.nextBoolean() ? 6 : 17, port, port + random.nextInt(100));
            }
            SpdAction action = SpdAction.values()[random.nextInt(3)];
            rules.add(new SpdRule("r" + i, action, i, List.of(TrafficSelector.ANY_IPV4), List.of(remote)));
        }
        SpdConfiguration configuration = new SpdConfiguration(rules, SpdAction.DISCARD);
        SecurityPolicyDatabase spd = factory.compile(configuration);
        for (int i = 0; i < 20_000; i++) {
            String destination = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            int protocol = random.nextBoolean() ? 6 : 17;
            int port = random.nextInt(1200);
            ByteBuffer packet = Packets.ipv4("198.18.0.1", destination, protocol, 1, port);
            assertSame(linearScan(configuration, destination, protocol, port, spd.defaultRule()),
                    spd.lookupOutbound(packet), destination + " " + protocol + "/" + port);
        }
    }

    @Test
    void arbitraryIpv4RangesAcrossSlash16BoundariesAgreeWithALinearScan() {
        Random random = new Random(11);
        List<SpdRule> rules = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long a = random.nextLong() & 0xFFFF_FFFFL;
            long b = i % 3 == 0 ? a + random.nextInt(1 << 20) : random.nextLong() & 0xFFFF_FFFFL;
            long start = Math.min(a, Math.min(b, 0xFFFF_FFFFL));
            long end = Math.min(Math.max(a, b), 0xFFFF_FFFFL);
            TrafficSelector remote = new TrafficSelector(0, v4(start), v4(end), 0, 65535);
            rules.add(new SpdRule("r" + i, SpdAction.values()[i % 3], i, List.of(TrafficSelector.ANY_IPV4), List.of(remote)));
        }
        rules.add(SpdRule.bypass("top", List.of(TrafficSelector.ANY_IPV4),
                List.of(new TrafficSelector(0, v4(0xFFFF_FF00L), v4(0xFFFF_FFFFL), 0, 65535))));
        SpdConfiguration configuration = new SpdConfiguration(rules, SpdAction.DISCARD);
        SecurityPolicyDatabase spd = factory.compile(configuration);
        List<Long> probes = new ArrayList<>(List.of(0L, 1L, 0xFFFF_FFFFL, 0xFFFF_FF00L, 0xFFFF_FEFFL, 0x0001_0000L, 0xFFFFL));
        for (SpdRule rule : rules) {
            long start = java.nio.ByteBuffer.wrap(rule.remoteSelectors().get(0).startAddress().getAddress()).getInt() & 0xFFFF_FFFFL;
            long end = java.nio.ByteBuffer.wrap(rule.remoteSelectors().get(0).endAddress().getAddress()).getInt() & 0xFFFF_FFFFL;
            probes.addAll(List.of(start, end, (start - 1) & 0xFFFF_FFFFL, (end + 1) & 0xFFFF_FFFFL));
        }
        for (int i = 0; i < 5000; i++) {
            probes.add(random.nextLong() & 0xFFFF_FFFFL);
        }
        for (long probe : probes) {
            String destination = v4(probe).getHostAddress();
            assertSame(linearScan(configuration, destination, 6, 80, spd.defaultRule()),
                    spd.lookupOutbound(Packets.ipv4("198.18.0.1", destination, 6, 1, 80)), destination);
        }
    }

    private static InetAddress v4(long address) {
        try {
            return InetAddress.getByAddress(java.nio.ByteBuffer.allocate(4).putInt((int) address).array());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The definition: the first rule in order whose remote selector contains destination, protocol, port. */
    private static SpdRule linearScan(SpdConfiguration configuration, String destination, int protocol, int port,
                                      SpdRule fallback) {
        InetAddress address = Packets.ip(destination);
        for (SpdRule rule : configuration.rules()) {
            for (TrafficSelector s : rule.remoteSelectors()) {
                boolean inRange = java.util.Arrays.compareUnsigned(address.getAddress(), s.startAddress().getAddress()) >= 0
                        && java.util.Arrays.compareUnsigned(address.getAddress(), s.endAddress().getAddress()) <= 0;
                boolean protocolOk = s.protocol() == 0 || s.protocol() == protocol;
                boolean portOk = port >= s.startPort() && port <= s.endPort();
                if (inRange && protocolOk && portOk) {
                    return rule;
                }
            }
        }
        return fallback;
    }
}
