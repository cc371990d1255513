package org.mobilevpn.csp;

import java.util.regex.Pattern;
import org.mobilevpn.api.net.IpAddresses;
import org.mobilevpn.api.profile.GatewayAddress;

/**
 * One {@code remote_addrs} entry: {@code host}, {@code host:port}, an IPv4 or IPv6 literal, or
 * {@code [ipv6]:port}. An entry without a port uses {@code remote_port}. strongSwan's responder-only
 * forms ({@code %any}, ranges, subnets) make no sense for an initiator and are rejected.
 */
final class GatewayAddressParser {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private GatewayAddressParser() {
    }

    /** @throws IllegalArgumentException naming the entry and the problem */
    static GatewayAddress parse(String entry, int defaultPort) {
        String host = entry;
        int port = defaultPort;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(Quote.of(entry) + " has '[' without ']'");
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(Quote.of(entry) + " has text after ']' that is not ':port'");
                }
                port = port(entry, rest.substring(1));
            }
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException(Quote.of(entry) + ": brackets are for IPv6 addresses");
            }
        } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
            host = entry.substring(0, entry.indexOf(':'));
            port = port(entry, entry.substring(entry.indexOf(':') + 1));
        }
        if (host.startsWith("%")) {
            throw new IllegalArgumentException(Quote.of(entry) + ": an initiator needs the gateway's host name or address");
        }
        if (host.indexOf('/') >= 0 || host.indexOf('-') >= 0 && IpAddresses.looksLiteral(host.replace("-", ""))) {
            throw new IllegalArgumentException(Quote.of(entry) + ": subnets and ranges are for responders; give the gateway's address");
        }
        if (IpAddresses.looksLiteral(host)) {
            IpAddresses.parse(host); // throws with the reason
        } else if (!isHostName(host)) {
            throw new IllegalArgumentException(Quote.of(entry) + " is not a host name or IP address");
        }
        return new GatewayAddress(host, port);
    }

    /** True for a syntactically valid DNS host name (RFC 1123 §2.1 labels, at most 253 characters). */
    static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253 || IpAddresses.looksLiteral(s)) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static int port(String entry, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(Quote.of(entry) + " has an invalid port: use 1..65535");
    }
}
