package org.mobilevpn.csp;

/**
 * Quotes an operator's value for a problem message: control characters replaced (a value must not
 * forge extra log lines) and long values cut, so a garbage configuration yields a readable message.
 * Never used for secret keys.
 */
final class Quote {
    private static final int MAX = 80;

    private Quote() {
    }

    static String of(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX) + 5).append('\'');
        for (int i = 0; i < s.length() && i < MAX; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > MAX) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
