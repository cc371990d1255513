package org.mobilevpn.api.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one parser of IP address literals in mobilevpn, with one rule set: an IPv4 address is exactly
 * four decimal parts 0..255 of at most three digits ({@code 198.51.100.1}; not {@code 198.51.100},
 * {@code 0x7f.1.1.1} or {@code 300.1.1.1}, which the JDK would read as something else or look up in
 * DNS); an IPv6 address is a literal without brackets or zone ({@code 2001:db8::1}, {@code ::ffff:198.51.100.1}).
 * Nothing here ever asks DNS: a text that is not a literal is an error naming the text.
 */
public final class IpAddresses {
    private static final int QUOTE_MAX = 80;

    private IpAddresses() {
    }

    /**
     * Whether the text is meant as an address literal rather than a name: only digits and dots (a host
     * name never is), or a colon with nothing but hex digits, colons and dots. Decides which of the two a
     * configured value is; {@link #parse} then checks it ({@code 300.1.1.1} looks literal and fails there).
     */
    public static boolean looksLiteral(String text) {
        if (text.isEmpty()) {
            return false;
        }
        if (text.indexOf(':') >= 0) {
            return text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        }
        return text.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    /**
     * The address this literal names.
     *
     * @throws IllegalArgumentException naming the text, e.g. {@code '300.1.1.1' is not an IPv4 address}
     */
    public static InetAddress parse(String text) {
        if (text.indexOf(':') >= 0) {
            return ipv6(text);
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(quote(text) + " is not an IPv4 address");
        }
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException(quote(text) + " is not an IPv4 address");
            }
            octets[i] = (byte) Integer.parseInt(p);
        }
        return of(octets);
    }

    /** The address of 4 (IPv4) or 16 (IPv6) octets. */
    public static InetAddress of(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 octets, not " + octets.length);
        }
    }

    /** True for an IPv6 address (also an IPv4-mapped one the JDK keeps as IPv6), false for IPv4. */
    public static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }

    private static InetAddress ipv6(String text) {
        if (!text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(quote(text) + " is not an IPv6 address");
        }
        try {
            return InetAddress.getByName("[" + text + "]"); // in brackets the JDK reads a literal or fails, never DNS
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(quote(text) + " is not an IPv6 address");
        }
    }

    /** An operator's text in a message: control characters replaced (no forged log lines), long text cut. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder().append('\'');
        for (int i = 0; i < text.length() && i < QUOTE_MAX; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.append(text.length() > QUOTE_MAX ? "...'" : "'").toString();
    }
}
