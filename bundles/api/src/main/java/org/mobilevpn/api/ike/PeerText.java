package org.mobilevpn.api.ike;

/**
 * Text the gateway chose (its IDr, the subject and subjectAltNames of its certificate, messages of exceptions
 * that quote them) made safe to put into a log line, an event or the console: every control character, line or
 * paragraph separator and bidirectional override is written as an escape such as {@code \x0a}, so a crafted
 * identity cannot start a forged log line or reorder what an operator reads, and text longer than
 * {@value #MAX_LENGTH} characters is cut, saying how much was left out. Our own text needs none of this.
 * {@link IkeIdentity#toString()} is made safe this way.
 */
public final class PeerText {
    /** Longer than any identity (an FQDN is at most 253 characters) or distinguished name in practice. */
    public static final int MAX_LENGTH = 256;

    private PeerText() {
    }

    /** {@code String.valueOf(value)}, made safe; {@code null} stays {@code "null"}. */
    public static String of(Object value) {
        String text = String.valueOf(value);
        int shown = Math.min(text.length(), MAX_LENGTH);
        StringBuilder out = null;
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(shown + 16).append(text, 0, i);
                }
                out.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        if (out == null && shown == text.length()) {
            return text;
        }
        String safe = out == null ? text.substring(0, shown) : out.toString();
        return shown == text.length() ? safe : safe + "...(" + (text.length() - shown) + " more characters)";
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c >= '\u202a' && c <= '\u202e'
                || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }
}
