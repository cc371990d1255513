package org.mobilevpn.csp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IP address literals and host names, checked without ever asking DNS: validating a profile must not
 * block on the network, and a literal that is not quite one (e.g. {@code 300.1.1.1}) must be an error,
 * not a name lookup.
 */
final class AddressSyntax {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private AddressSyntax() {
    }

    /** True when the text is meant as an address literal: digits and dots, or contains a colon. */
    static boolean looksLiteral(String s) {
        return s.indexOf(':') >= 0 || !s.isEmpty() && s.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /**
     * An IPv4 dotted quad or an IPv6 literal (without brackets).
     *
     * @throws IllegalArgumentException when the text is not one
     */
    static InetAddress literal(String s) {
        if (s.indexOf(':') >= 0) {
            if (!s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException(Quote.of(s) + " is not an IPv6 address");
            }
            try {
                return InetAddress.getByName("[" + s + "]"); // brackets: a literal or an error, never DNS
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(Quote.of(s) + " is not an IPv6 address");
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(Quote.of(s) + " is not an IPv4 address");
        }
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)
                    || Integer.parseInt(parts[i]) > 255) {
                throw new IllegalArgumentException(Quote.of(s) + " is not an IPv4 address");
            }
            octets[i] = (byte) Integer.parseInt(parts[i]);
        }
        try {
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four octets are always accepted
        }
    }

    /** True for a syntactically valid DNS host name (RFC 1123 §2.1 labels, at most 253 characters). */
    static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253 || looksLiteral(s)) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
