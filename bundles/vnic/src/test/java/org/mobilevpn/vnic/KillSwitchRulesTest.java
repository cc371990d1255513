package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.vnic.KillSwitchPolicy;

class KillSwitchRulesTest {

    static InetAddress ip(String literal) {
        return IpPrefix.parse(literal).address();
    }

    static KillSwitchPolicy killSwitch(String... tunnelled) {
        return new KillSwitchPolicy(true, List.of(ip("198.51.100.1")), List.of(4500, 500),
                List.of(IpPrefix.parse("198.19.0.0/24"), IpPrefix.parse("2001:db8:19::/64")),
                java.util.Arrays.stream(tunnelled).map(IpPrefix::parse).toList());
    }

    static String script(Map<String, KillSwitchPolicy> policies) {
        return KillSwitchRules.script(new TreeMap<>(policies), "mvpn", Map.of());
    }

    @Test
    void theTableIsReplacedInOneTransaction() {
        String s = script(Map.of("office", killSwitch()));
        assertTrue(s.startsWith("table inet mobilevpn\ndelete table inet mobilevpn\ntable inet mobilevpn {\n"), s);
    }

    @Test
    void aKillSwitchLetsPassLoopbackTunnelUplinkHousekeepingGatewayAndExceptionsThenDropsTheRest() {
        String s = script(Map.of("office", killSwitch()));
        List<String> guard = guardRules(s);
        assertEquals(List.of(
                "oifname \"lo\" accept",
                "oifname \"mvpn*\" meta oiftype 65534 accept",
                "udp sport { 67, 68 } udp dport { 67, 68 } accept",
                "udp sport { 546, 547 } udp dport { 546, 547 } accept",
                "icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept",
                "icmpv6 type { mld-listener-report, mld2-listener-report } ip6 hoplimit 1 accept",
                "ip daddr { 198.51.100.1 } udp dport { 500, 4500 } accept",
                "ip daddr { 198.51.100.1 } meta l4proto esp accept",
                "ip daddr { 198.19.0.0/24 } accept",
                "ip6 daddr { 2001:db8:19:0:0:0:0:0/64 } accept",
                "counter name \"killswitch\" drop"), guard);
        assertTrue(s.contains("chain output {\n\t\ttype filter hook output priority filter; policy accept;\n\t\tjump guard\n"), s);
        assertTrue(s.contains("chain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n"
                + "\t\tiifname \"mvpn*\" meta iiftype 65534 accept\n\t\tjump guard\n"), s);
    }

    @Test
    void tunnelledDestinationsLeaveOnlyThroughTheTunnelOfEveryFamilyAlsoWithoutKillSwitch() {
        KillSwitchPolicy pinned = new KillSwitchPolicy(false, List.of(ip("198.51.100.1")), List.of(500, 4500), List.of(),
                List.of(IpPrefix.parse("203.0.113.0/24"), IpPrefix.parse("::/0")));
        List<String> guard = guardRules(script(Map.of("lab", pinned)));
        assertTrue(guard.contains("ip daddr { 203.0.113.0/24 } counter name \"drop_lab\" drop"), guard.toString());
        assertTrue(guard.contains("ip6 daddr { 0:0:0:0:0:0:0:0/0 } counter name \"drop_lab\" drop"), guard.toString());
        assertFalse(guard.stream().anyMatch(r -> r.contains("killswitch")), "no catch-all drop without a kill switch");
        assertTrue(guard.indexOf("ip daddr { 198.51.100.1 } meta l4proto esp accept")
                < guard.indexOf("ip daddr { 203.0.113.0/24 } counter name \"drop_lab\" drop"),
                "the gateway's IKE and ESP pass before any drop");
    }

    @Test
    void prefixesAreNormalisedAndNestedOnesLeftOutBecauseNftRefusesOverlaps() {
        KillSwitchPolicy p = killSwitch("203.0.113.7/24", "203.0.113.128/25", "0.0.0.0/1", "10.1.2.3/32");
        List<String> guard = guardRules(script(Map.of("office", p)));
        assertTrue(guard.contains("ip daddr { 0.0.0.0/1, 203.0.113.0/24 } counter name \"drop_office\" drop"),
                guard.toString());
    }

    @Test
    void nothingHeldBackRemovesTheTable() {
        KillSwitchPolicy nothing = new KillSwitchPolicy(false, List.of(ip("198.51.100.1")), List.of(500), List.of(), List.of());
        assertEquals("table inet mobilevpn\ndelete table inet mobilevpn\n", script(Map.of("office", nothing)));
        assertEquals("table inet mobilevpn\ndelete table inet mobilevpn\n", script(Map.of()));
    }

    @Test
    void countersAreCarriedIntoTheNewTable() {
        String listing = "table inet mobilevpn {\n\tcounter drop_office {\n\t\tpackets 12 bytes 1008\n\t}\n"
                + "\tcounter killswitch {\n\t\tpackets 3 bytes 180\n\t}\n}\n";
        Map<String, KillSwitchRules.Count> counters = KillSwitchRules.parseCounters(listing);
        assertEquals(new KillSwitchRules.Count(12, 1008), counters.get("drop_office"));
        String s = KillSwitchRules.script(new TreeMap<>(Map.of("office", killSwitch())), "mvpn", counters);
        assertTrue(s.contains("\tcounter drop_office {\n\t\tpackets 12 bytes 1008\n\t}\n"), s);
        assertTrue(s.contains("\tcounter killswitch {\n\t\tpackets 3 bytes 180\n\t}\n"), s);
    }

    @Test
    void severalConnectionsShareTheAllowancesAndTheFinalDrop() {
        KillSwitchPolicy lab = new KillSwitchPolicy(false, List.of(ip("2001:db8:100::1")), List.of(500), List.of(),
                List.of(IpPrefix.parse("203.0.113.0/24")));
        List<String> guard = guardRules(script(Map.of("office", killSwitch(), "lab", lab)));
        assertTrue(guard.contains("ip6 daddr { 2001:db8:100:0:0:0:0:1 } udp dport { 500 } accept"), guard.toString());
        assertTrue(guard.contains("ip daddr { 198.51.100.1 } udp dport { 500, 4500 } accept"), guard.toString());
        assertEquals("counter name \"killswitch\" drop", guard.get(guard.size() - 1));
    }

    private static List<String> guardRules(String script) {
        String chain = script.substring(script.indexOf("chain guard {") + "chain guard {".length());
        chain = chain.substring(0, chain.indexOf("\t}"));
        return chain.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
