package org.mobilevpn.webconsole;

import java.net.URI;
import java.util.Locale;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;

/**
 * A connect or disconnect request posted by the page, checked before anything happens: the request
 * must come from the page's own origin (when the browser says where it comes from) and carry the
 * user's CSRF token; only then is the Policy Manager asked. A refused request changes nothing.
 */
final class ConsoleAction {

    /** What the servlet answers: an HTTP status and a message, plus the state when the action was taken. */
    record Result(int status, String message, ConnectionStatus connection) {
        boolean accepted() {
            return status == 200;
        }
    }

    private final CsrfTokens tokens;

    ConsoleAction(CsrfTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * @param user    the logged-in user (null when the console runs without login)
     * @param origin  the request's Origin header, or null
     * @param host    the request's Host header
     * @param token   the posted token
     * @param action  {@code connect} or {@code disconnect}
     * @param name    the connection name
     * @param manager the Policy Manager, or null when its service is absent
     */
    Result perform(String user, String origin, String host, String token, String action, String name,
            VpnManager manager) {
        if (!sameOrigin(origin, host)) {
            return new Result(403, "cross-origin request refused", null);
        }
        if (!tokens.isValid(user, token)) {
            return new Result(403, "missing or invalid CSRF token", null);
        }
        if (name == null || name.isEmpty()) {
            return new Result(400, "no connection name", null);
        }
        if (!"connect".equals(action) && !"disconnect".equals(action)) {
            return new Result(400, "unknown action (connect or disconnect)", null);
        }
        if (manager == null) {
            return new Result(503, "the Policy Manager is not running", null);
        }
        try {
            ConnectionStatus after = "connect".equals(action) ? manager.connect(name) : manager.disconnect(name);
            return new Result(200, action + " " + name + ": " + after.state(), after);
        } catch (IllegalArgumentException e) {
            return new Result(404, e.getMessage() == null ? "no such connection" : e.getMessage(), null);
        }
    }

    /**
     * True without an Origin header (browsers send one with every cross-site POST, so its absence
     * means a same-origin form or a script), or when it names the host the request was sent to.
     * "null" (a sandboxed or privacy-stripped origin) is refused.
     */
    static boolean sameOrigin(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() == null) {
                return false;
            }
            String originHost = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String defaultPort = "https".equals(scheme) ? ":443" : ":80";
            String h = host.trim().toLowerCase(Locale.ROOT);
            String o = originHost.toLowerCase(Locale.ROOT);
            return h.equals(o) || h.equals(o + defaultPort) || (h + defaultPort).equals(o);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
