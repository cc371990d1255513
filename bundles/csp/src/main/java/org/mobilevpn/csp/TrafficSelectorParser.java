package org.mobilevpn.csp;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.net.IpAddresses;
import org.mobilevpn.api.net.IpPrefix;

/**
 * One {@code local_ts} / {@code remote_ts} entry in swanctl.conf syntax (RFC 7296 §3.13.1 selectors):
 * a subnet {@code 203.0.113.0/24}, an address, a range {@code 203.0.113.10-203.0.113.20},
 * {@code %any} (all IPv4 and IPv6), {@code %any4}, {@code %any6}, or {@code dynamic}; each optionally
 * followed by {@code [protocol/port]}, e.g. {@code 203.0.113.0/24[tcp/443]} or {@code [udp/1000-2000]}.
 * {@code dynamic} is left to the caller, which knows the virtual IP and gateway families.
 */
final class TrafficSelectorParser {
    private static final Map<String, Integer> PROTOCOLS = Map.of(
            "icmp", 1, "tcp", 6, "udp", 17, "gre", 47, "icmpv6", 58, "ipv6-icmp", 58, "sctp", 132);

    /**
     * An entry split into its address part and its protocol and port range.
     *
     * @param address the address part in lower case, e.g. {@code dynamic} or {@code 10.0.0.0/8}
     */
    record Spec(String address, int protocol, int startPort, int endPort) {
        boolean isDynamic() {
            return address.equals("dynamic");
        }
    }

    private TrafficSelectorParser() {
    }

    /** @throws IllegalArgumentException naming the entry and what is wrong with it */
    static Spec split(String entry) {
        String s = entry.strip().toLowerCase(Locale.ROOT);
        int protocol = 0;
        int lo = 0;
        int hi = 65535;
        int open = s.indexOf('[');
        if (open >= 0) {
            if (!s.endsWith("]")) {
                throw new IllegalArgumentException(Quote.of(entry) + ": '[protocol/port]' must end the entry");
            }
            String inner = s.substring(open + 1, s.length() - 1);
            s = s.substring(0, open).strip();
            String proto = inner;
            String port = "";
            int slash = inner.indexOf('/');
            if (slash >= 0) {
                proto = inner.substring(0, slash);
                port = inner.substring(slash + 1);
            }
            protocol = protocol(entry, proto);
            if (!port.isEmpty() && !port.equals("%any")) {
                if (protocol == 0) {
                    throw new IllegalArgumentException(Quote.of(entry) + ": a port needs a protocol, e.g. [tcp/443]");
                }
                if (protocol == 1 || protocol == 58) {
                    throw new IllegalArgumentException(Quote.of(entry) + ": ICMP type/code selectors are not supported");
                }
                int dash = port.indexOf('-');
                lo = port(entry, dash < 0 ? port : port.substring(0, dash));
                hi = dash < 0 ? lo : port(entry, port.substring(dash + 1));
                if (lo > hi) {
                    throw new IllegalArgumentException(Quote.of(entry) + ": port range start above its end");
                }
            }
        }
        if (s.isEmpty()) {
            s = "%any";
        }
        return new Spec(s, protocol, lo, hi);
    }

    /** The selectors of a non-dynamic spec. */
    static List<TrafficSelector> selectors(Spec spec, String entry) {
        String a = spec.address();
        switch (a) {
            case "%any" -> { return List.of(any(spec, false), any(spec, true)); }
            case "%any4" -> { return List.of(any(spec, false)); }
            case "%any6" -> { return List.of(any(spec, true)); }
            default -> { }
        }
        int slash = a.indexOf('/');
        if (slash >= 0) {
            InetAddress base = address(entry, a.substring(0, slash));
            IpPrefix prefix;
            try {
                prefix = IpPrefix.parse(a);
            } catch (IllegalArgumentException e) { // the address is fine: the length is not
                throw new IllegalArgumentException(Quote.of(entry) + " has an invalid prefix length: use 0.."
                        + (IpAddresses.isIpv6(base) ? 128 : 32));
            }
            return List.of(of(spec, prefix.first(), prefix.last()));
        }
        int dash = a.indexOf('-');
        if (dash >= 0) {
            InetAddress start = address(entry, a.substring(0, dash));
            InetAddress end = address(entry, a.substring(dash + 1));
            if (start.getClass() != end.getClass()) {
                throw new IllegalArgumentException(Quote.of(entry) + " mixes IPv4 and IPv6");
            }
            if (Arrays.compareUnsigned(start.getAddress(), end.getAddress()) > 0) {
                throw new IllegalArgumentException(Quote.of(entry) + ": range start above its end");
            }
            return List.of(of(spec, start, end));
        }
        InetAddress single = address(entry, a);
        return List.of(of(spec, single, single));
    }

    /** Every address of one family, with the spec's protocol and ports. */
    static TrafficSelector any(Spec spec, boolean ipv6) {
        return TrafficSelector.any(ipv6).withProtocolAndPorts(spec.protocol(), spec.startPort(), spec.endPort());
    }

    /** One address, with the spec's protocol and ports. */
    static TrafficSelector host(Spec spec, InetAddress address) {
        return of(spec, address, address);
    }

    private static TrafficSelector of(Spec spec, InetAddress start, InetAddress end) {
        return new TrafficSelector(spec.protocol(), start, end, spec.startPort(), spec.endPort());
    }

    private static InetAddress address(String entry, String text) {
        if (!IpAddresses.looksLiteral(text)) {
            throw new IllegalArgumentException(Quote.of(entry) + " is not a subnet, range or address (no host names in selectors)");
        }
        try {
            return IpAddresses.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Quote.of(entry) + ": " + e.getMessage());
        }
    }

    private static int protocol(String entry, String text) {
        if (text.isEmpty() || text.equals("%any")) {
            return 0;
        }
        Integer named = PROTOCOLS.get(text);
        if (named != null) {
            return named;
        }
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 255) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(Quote.of(entry) + ": unknown protocol " + Quote.of(text)
                + ": use tcp, udp, icmp, icmpv6, sctp, gre or a number 0..255");
    }

    private static int port(String entry, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(Quote.of(entry) + ": invalid port " + Quote.of(text) + ": use 0..65535 or a range");
    }
}
