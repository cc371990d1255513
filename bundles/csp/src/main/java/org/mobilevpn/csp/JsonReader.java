package org.mobilevpn.csp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259) for policy documents, so the bundle needs no JSON library:
 * objects become {@link LinkedHashMap}s (document order kept), arrays {@link ArrayList}s, numbers
 * {@link Long} when whole and in range, else {@link Double}; {@code null} stays null. Duplicate
 * object keys are an error (RFC 8259 §4 leaves them undefined, and for a policy they are a mistake),
 * so is nesting deeper than {@value #MAX_DEPTH}. Errors carry line and column.
 */
final class JsonReader {
    static final int MAX_DEPTH = 32;

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /** @throws JsonSyntaxException at the first error, with its position */
    static Object parse(String text) throws JsonSyntaxException {
        JsonReader r = new JsonReader(text);
        r.skipBlanks();
        if (r.pos < text.length() && text.charAt(r.pos) == '\uFEFF') {
            r.pos++; // a byte order mark some editors write
            r.skipBlanks();
        }
        Object value = r.value();
        r.skipBlanks();
        if (r.pos != text.length()) {
            throw r.error("unexpected text after the document");
        }
        return value;
    }

    private Object value() throws JsonSyntaxException {
        if (pos >= text.length()) {
            throw error("unexpected end of document");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || c >= '0' && c <= '9') {
                    return number();
                }
                throw error("unexpected character '" + printable(c) + "'");
        }
    }

    private Map<String, Object> object() throws JsonSyntaxException {
        enter();
        pos++; // {
        Map<String, Object> out = new LinkedHashMap<>();
        skipBlanks();
        if (peek() == '}') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipBlanks();
            if (peek() != '"') {
                throw error("expected a key in double quotes");
            }
            int keyPos = pos;
            String key = string();
            skipBlanks();
            expect(':');
            skipBlanks();
            Object v = value();
            if (out.containsKey(key)) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            out.put(key, v);
            skipBlanks();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() throws JsonSyntaxException {
        enter();
        pos++; // [
        List<Object> out = new ArrayList<>();
        skipBlanks();
        if (peek() == ']') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipBlanks();
            out.add(value());
            skipBlanks();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws JsonSyntaxException {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in a string (write it as an escape)");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("incomplete \\u escape");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(pos++), 16);
                        if (d < 0) {
                            pos--;
                            throw error("bad hex digit in \\u escape");
                        }
                        code = code * 16 + d;
                    }
                    out.append((char) code);
                }
                default -> {
                    pos--;
                    throw error("unknown escape '\\" + printable(e) + "'");
                }
            }
        }
    }

    private Object number() throws JsonSyntaxException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("bad number");
        }
        boolean whole = true;
        if (peek() == '.') {
            pos++;
            whole = false;
            if (!digits()) {
                throw error("bad number: digits must follow '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            whole = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("bad number: digits must follow the exponent");
            }
        }
        String n = text.substring(start, pos);
        if (whole) {
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException e) {
                // beyond long: fall through to a double
            }
        }
        return Double.parseDouble(n);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) throws JsonSyntaxException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected word (true, false or null expected)");
        }
        pos += word.length();
        return value;
    }

    private void enter() throws JsonSyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char c) throws JsonSyntaxException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static String printable(char c) {
        return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private JsonSyntaxException error(String message) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new JsonSyntaxException("line " + line + ", column " + column + ": " + message);
    }
}
