package org.mobilevpn.webconsole;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may talk to the Web Console at all, before its own login is asked: the console turns any local user
 * or any page a local browser opens into root (bundle install, {@code ip_command}), so three requests are
 * refused with the reason:
 * <ul>
 * <li>a Host header that names neither a loopback name nor the address the request came to (nor a name the
 * operator allowed): a DNS-rebinding page reaches 127.0.0.1 under its own name;</li>
 * <li>the default password {@code admin} (Felix's default), whatever the user name and whether or not it is
 * configured: the launcher makes a real one at the first start;</li>
 * <li>plain HTTP to a non-loopback address: passwords would cross the network in clear.</li>
 * </ul>
 */
final class ConsoleAccessRules {
    static final String DEFAULT_PASSWORD = "admin";
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    private final List<String> allowedHosts;

    /** @param allowedHosts further host names (no port) the operator reaches the console by */
    ConsoleAccessRules(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .toList();
    }

    /**
     * Why this request is refused, or empty when it may go on to the console's login.
     *
     * @param host the Host header (null if absent)
     * @param localAddress the address the request came to (e.g. {@code 127.0.0.1})
     * @param localPort the port it came to
     * @param secure whether it came over TLS
     * @param authorization the Authorization header (null if absent)
     */
    Optional<String> refusal(String host, String localAddress, int localPort, boolean secure, String authorization) {
        if (host == null || !hostMatches(host.strip().toLowerCase(Locale.ROOT), localAddress, localPort)) {
            return Optional.of("Host " + (host == null ? "(none)" : "'" + printable(host) + "'")
                    + " is not this console's address; add the name to the hosts of org.mobilevpn.webconsole.access"
                    + " if it really is");
        }
        if (!secure && !isLoopback(localAddress)) {
            return Optional.of("plain HTTP on " + localAddress + " is refused: enable HTTPS"
                    + " (org.apache.felix.https.enable) or bind the console to 127.0.0.1");
        }
        if (DEFAULT_PASSWORD.equals(basicPassword(authorization))) {
            return Optional.of("the default password is refused: bin/mobilevpn credential shows the login made at the"
                    + " first start, or set your own in etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg");
        }
        return Optional.empty();
    }

    private boolean hostMatches(String host, String localAddress, int localPort) {
        String name = host;
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            if (!host.substring(colon + 1).equals(Integer.toString(localPort))) {
                return false;
            }
            name = host.substring(0, colon);
        }
        String local = localAddress == null ? "" : localAddress.toLowerCase(Locale.ROOT);
        return LOOPBACK_NAMES.contains(name) || allowedHosts.contains(name) || name.equals(local)
                || name.equals("[" + local + "]");
    }

    /** The servlet container gives the local address as a literal: 127.0.0.0/8 or ::1 is loopback. */
    private static boolean isLoopback(String address) {
        return address != null && (address.startsWith("127.") || address.equals("::1")
                || address.equals("0:0:0:0:0:0:0:1") || address.equals("[::1]"));
    }

    /** Header text as it may be echoed: printable ASCII, at most 100 characters. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder();
        text.chars().limit(100).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return b.toString();
    }

    /** The password of a Basic Authorization header, or null. */
    static String basicPassword(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : pair.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
