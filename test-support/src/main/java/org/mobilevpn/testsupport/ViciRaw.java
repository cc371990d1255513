package org.mobilevpn.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code --raw} output of swanctl (a vici message dump) into nested maps.
 *
 * <p>Grammar as swanctl 5.9 prints it, all on one line per message: {@code name {...}} is a section,
 * {@code key=value} a key-value pair, {@code key=[a b]} a list. Values are printed unquoted, so one may
 * contain spaces (a distinguished-name identity such as {@code C=CH, O=Test, CN=gw}); a value therefore
 * runs until the next lower-case vici key followed by {@code =}, the next section or a closing brace.
 * Each message line (e.g. {@code list-sa event {...}}) becomes one map: section name to contents.
 */
public final class ViciRaw {

    /** Start of the next element: "key=", "name {" or "}". Vici keys are lower case with dashes. */
    private static final Pattern NEXT = Pattern.compile(" (?=[a-z][a-z0-9_-]*=|[^\\s{}=]+ \\{|\\})|(?=\\})");

    private final String text;
    private int pos;

    private ViciRaw(String text) {
        this.text = text;
    }

    /**
     * Parses every message line that starts with {@code prefix}.
     *
     * @param output whole swanctl output
     * @param prefix message name, e.g. {@code list-sa event}
     * @return one map per matching line: the message's contents (sections are maps, lists are
     *         {@code List<String>}, values are strings)
     */
    public static List<Map<String, Object>> messages(String output, String prefix) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (String line : output.split("\\R")) {
            String l = line.strip();
            if (l.startsWith(prefix + " {")) {
                ViciRaw p = new ViciRaw(l);
                p.pos = prefix.length() + 2;
                result.add(p.section());
            }
        }
        return result;
    }

    private Map<String, Object> section() {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipSpaces();
            if (pos >= text.length()) {
                throw error("unterminated section");
            }
            if (text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            int eq = text.indexOf('=', pos);
            int brace = text.indexOf(" {", pos);
            if (brace >= 0 && (eq < 0 || brace < eq)) {
                String name = text.substring(pos, brace);
                pos = brace + 2;
                map.put(name, section());
            } else if (eq >= 0) {
                String key = text.substring(pos, eq);
                pos = eq + 1;
                if (pos < text.length() && text.charAt(pos) == '[') {
                    int close = text.indexOf(']', pos);
                    if (close < 0) {
                        throw error("unterminated list");
                    }
                    String items = text.substring(pos + 1, close).strip();
                    map.put(key, items.isEmpty() ? List.of() : List.of(items.split(" ")));
                    pos = close + 1;
                } else {
                    Matcher m = NEXT.matcher(text);
                    int end = m.find(pos) ? m.start() : text.length();
                    map.put(key, text.substring(pos, end));
                    pos = end;
                }
            } else {
                throw error("expected key=value or section");
            }
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + pos + " in: " + text);
    }
}
