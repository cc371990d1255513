package org.mobilevpn.vnic;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.vnic.KillSwitchPolicy;

/**
 * The nftables ruleset of the kill switch: one table of our own, {@code inet mobilevpn}, written as one
 * {@code nft -f} script that deletes and re-creates the table in a single transaction, so the kernel
 * switches from the old rules to the new ones atomically (nft(8), "atomic rule replacement"). A pure
 * function of the connections' {@link KillSwitchPolicy policies}: what the host lets through is
 * visible in unit tests.
 *
 * <p>The rules sit in the {@code output} hook (what the host sends) and the {@code forward} hook (what
 * a gateway board routes for its LAN), in one chain {@code guard} that both jump to. In order:
 * <ol>
 *   <li>accepted: loopback; packets into a tunnel device (name prefix wildcard, e.g. {@code mvpn*}, so a
 *       new device after a reconnect needs no change, and of link type none, as TUN devices are: an uplink whose
 *       name happens to start with the prefix, such as the demo's veth {@code mvpn-demo-c0}, is no tunnel);
 *       forwarded packets out of a tunnel device;</li>
 *   <li>accepted: the uplink keeping its own address: DHCP (UDP 67/68), DHCPv6 (UDP 546/547), IPv6
 *       neighbour discovery and router solicitation/advertisement (hop limit 255, RFC 4861 §7.1, so only
 *       on-link packets), MLD reports (hop limit 1);</li>
 *   <li>accepted, per connection: IKE and ESP in UDP to the gateway's addresses and ports, ESP (protocol
 *       50) to them, the connection's exceptions ({@code split_exclude});</li>
 *   <li>dropped, per connection, counted in {@code drop_NAME}: destinations the tunnel carries
 *       ({@code tunnelled}) that are about to leave through another device;</li>
 *   <li>dropped, counted in {@code killswitch}: everything else, if any connection has its kill switch on.</li>
 * </ol>
 *
 * <p><b>TunnelVision (CVE-2024-3661).</b> Routes decide which device a packet leaves by, and a more specific
 * route (a DHCP server's option 121, or any other) beats the tunnel's routes. Rule 4 does not care which
 * route won: a tunnelled destination leaves through the tunnel device or not at all. Chosen over policy
 * routing (an {@code ip rule} with a routing table of our own) because it is the same mechanism, table
 * and cleanup as the kill switch, needs no fwmark on the data path's own sockets, and a packet the
 * attacker's route diverts is dropped and counted rather than silently routed; the cost is that such a
 * destination is unreachable while the rogue route exists, which is the right failure for a VPN.
 *
 * <p>Inbound traffic is not filtered: a packet arriving in clear reveals nothing of ours, and any answer
 * to it goes through the output hook. Counters survive a change of the rules: the script re-creates
 * each named counter with the value read just before ({@link #parseCounters}).
 */
final class KillSwitchRules {
    /** The link type of a TUN device (ARPHRD_NONE in linux/if_arp.h; {@code ip link} shows {@code link/none}). */
    static final int ARPHRD_NONE = 65534;

    static final String TABLE = "mobilevpn";
    static final String FAMILY = "inet";
    /** The counter of the final drop, shared by every connection with its kill switch on. */
    static final String SHARED_COUNTER = "killswitch";
    private static final Pattern COUNTER = Pattern.compile(
            "counter\\s+(\\S+)\\s*\\{[^}]*?packets\\s+(\\d+)\\s+bytes\\s+(\\d+)", Pattern.DOTALL);

    /** A counter's value, carried into the re-created table. */
    record Count(long packets, long bytes) {
    }

    private KillSwitchRules() {
    }

    /** The counter of one connection's own drops. Connection names are nft identifiers once prefixed. */
    static String counterOf(String connection) {
        return "drop_" + connection;
    }

    /**
     * The script that makes the table hold exactly these connections' rules; with none that restricts
     * anything, the script only removes the table.
     *
     * @param policies   by connection name
     * @param devicePrefix the tunnel devices' name prefix (all of ours start with it)
     * @param counters   current counter values by counter name, carried over
     */
    static String script(SortedMap<String, KillSwitchPolicy> policies, String devicePrefix, Map<String, Count> counters) {
        StringBuilder s = new StringBuilder();
        // "table" first makes "delete" succeed when there is none; both and the new table are one transaction
        s.append("table ").append(FAMILY).append(' ').append(TABLE).append('\n');
        s.append("delete table ").append(FAMILY).append(' ').append(TABLE).append('\n');
        if (policies.values().stream().noneMatch(KillSwitchPolicy::restricts)) {
            return s.toString();
        }
        s.append("table ").append(FAMILY).append(' ').append(TABLE).append(" {\n");
        boolean anyKillSwitch = policies.values().stream().anyMatch(KillSwitchPolicy::killSwitch);
        for (String name : policies.keySet()) {
            counter(s, counterOf(name), counters);
        }
        if (anyKillSwitch) {
            counter(s, SHARED_COUNTER, counters);
        }
        String devices = quote(devicePrefix + "*");
        s.append("\tchain output {\n\t\ttype filter hook output priority filter; policy accept;\n\t\tjump guard\n\t}\n");
        s.append("\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n");
        s.append("\t\tiifname ").append(devices).append(" meta iiftype ").append(ARPHRD_NONE)
                .append(" accept\n\t\tjump guard\n\t}\n");
        s.append("\tchain guard {\n");
        rule(s, "oifname \"lo\" accept");
        rule(s, "oifname " + devices + " meta oiftype " + ARPHRD_NONE + " accept");
        rule(s, "udp sport { 67, 68 } udp dport { 67, 68 } accept");
        rule(s, "udp sport { 546, 547 } udp dport { 546, 547 } accept");
        rule(s, "icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert }"
                + " ip6 hoplimit 255 accept");
        rule(s, "icmpv6 type { mld-listener-report, mld2-listener-report } ip6 hoplimit 1 accept");
        for (Map.Entry<String, KillSwitchPolicy> e : policies.entrySet()) {
            KillSwitchPolicy p = e.getValue();
            String ports = p.ikePorts().stream().distinct().sorted().map(String::valueOf).collect(Collectors.joining(", "));
            for (boolean v6 : new boolean[] {false, true}) {
                String gateways = addresses(p.gateways(), v6);
                if (gateways != null) {
                    String match = (v6 ? "ip6" : "ip") + " daddr { " + gateways + " } ";
                    if (!ports.isEmpty()) {
                        rule(s, match + "udp dport { " + ports + " } accept");
                    }
                    rule(s, match + "meta l4proto esp accept");
                }
                String exceptions = prefixes(p.exceptions(), v6);
                if (exceptions != null) {
                    rule(s, (v6 ? "ip6" : "ip") + " daddr { " + exceptions + " } accept");
                }
            }
        }
        for (Map.Entry<String, KillSwitchPolicy> e : policies.entrySet()) {
            for (boolean v6 : new boolean[] {false, true}) {
                String tunnelled = prefixes(e.getValue().tunnelled(), v6);
                if (tunnelled != null) {
                    rule(s, (v6 ? "ip6" : "ip") + " daddr { " + tunnelled + " } counter name "
                            + quote(counterOf(e.getKey())) + " drop");
                }
            }
        }
        if (anyKillSwitch) {
            rule(s, "counter name " + quote(SHARED_COUNTER) + " drop");
        }
        s.append("\t}\n}\n");
        return s.toString();
    }

    /** Counter values from {@code nft list counters table inet mobilevpn}; empty when there is no table. */
    static Map<String, Count> parseCounters(String listing) {
        Map<String, Count> out = new java.util.HashMap<>();
        Matcher m = COUNTER.matcher(listing);
        while (m.find()) {
            out.put(m.group(1), new Count(Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        }
        return out;
    }

    private static void counter(StringBuilder s, String name, Map<String, Count> counters) {
        Count c = counters.getOrDefault(name, new Count(0, 0));
        s.append("\tcounter ").append(name).append(" {\n\t\tpackets ").append(c.packets()).append(" bytes ")
                .append(c.bytes()).append("\n\t}\n");
    }

    private static void rule(StringBuilder s, String rule) {
        s.append("\t\t").append(rule).append('\n');
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    private static String addresses(List<InetAddress> addresses, boolean v6) {
        TreeSet<String> out = new TreeSet<>();
        for (InetAddress a : addresses) {
            if ((a instanceof Inet4Address) != v6) {
                out.add(a.getHostAddress());
            }
        }
        return out.isEmpty() ? null : String.join(", ", out);
    }

    /**
     * The prefixes of one family, host bits cleared, those inside another left out (nft refuses
     * overlapping intervals in one set; CIDR prefixes either nest or are disjoint).
     */
    private static String prefixes(List<IpPrefix> prefixes, boolean v6) {
        List<IpPrefix> family = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            if (p.isIpv6() == v6) {
                IpPrefix n = network(p);
                if (!family.contains(n)) {
                    family.add(n);
                }
            }
        }
        TreeSet<String> out = new TreeSet<>();
        for (IpPrefix p : family) {
            boolean inside = family.stream().anyMatch(o -> o != p && o.prefixLength() < p.prefixLength() && contains(o, p));
            if (!inside) {
                out.add(p.toString());
            }
        }
        return out.isEmpty() ? null : String.join(", ", out);
    }

    static IpPrefix network(IpPrefix p) {
        byte[] a = p.address().getAddress();
        for (int bit = p.prefixLength(); bit < a.length * 8; bit++) {
            a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return IpPrefix.of(InetAddress.getByAddress(a), p.prefixLength());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // a 4- or 16-byte array is always an address
        }
    }

    private static boolean contains(IpPrefix outer, IpPrefix inner) {
        return network(IpPrefix.of(inner.address(), outer.prefixLength())).equals(outer);
    }
}
