package org.mobilevpn.webconsole;

/**
 * HTML escaping for text content and double-quoted attribute values: every character that could end
 * a text node or an attribute ({@code & < > " '}) becomes a character reference, so a connection named
 * {@code <script>...} is shown, never run.
 */
final class Html {

    private Html() {
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String ref;
            switch (c) {
                case '&': ref = "&amp;"; break;
                case '<': ref = "&lt;"; break;
                case '>': ref = "&gt;"; break;
                case '"': ref = "&quot;"; break;
                case '\'': ref = "&#39;"; break;
                default: ref = null;
            }
            if (ref != null) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(ref);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
