package org.mobilevpn.webconsole;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer (RFC 8259): objects, arrays, strings, numbers, booleans, null. Commas
 * are placed by a stack of open containers. Strings escape {@code <}, {@code >}, {@code &} and the
 * line separators U+2028/U+2029 as well, so the output is also safe inside an HTML document.
 * Not thread-safe; one writer per response.
 */
final class JsonWriter {
    private final Writer out;
    /** Per open container: whether the next value needs a comma before it. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter(Writer out) {
        this.out = out;
    }

    JsonWriter beginObject() {
        beforeValue();
        write('{');
        open.push(new boolean[1]);
        return this;
    }

    JsonWriter endObject() {
        open.pop();
        write('}');
        return this;
    }

    JsonWriter beginArray() {
        beforeValue();
        write('[');
        open.push(new boolean[1]);
        return this;
    }

    JsonWriter endArray() {
        open.pop();
        write(']');
        return this;
    }

    /** The name of the next member of the current object. */
    JsonWriter name(String name) {
        beforeValue();
        string(name);
        write(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            write("null");
        } else {
            string(s);
        }
        return this;
    }

    JsonWriter value(long n) {
        beforeValue();
        write(Long.toString(n));
        return this;
    }

    /** A number; NaN, infinities and null (which JSON cannot carry) become {@code null}. */
    JsonWriter value(Double d) {
        beforeValue();
        write(d == null || d.isNaN() || d.isInfinite() ? "null" : Double.toString(d));
        return this;
    }

    JsonWriter value(boolean b) {
        beforeValue();
        write(b ? "true" : "false");
        return this;
    }

    JsonWriter nullValue() {
        beforeValue();
        write("null");
        return this;
    }

    /** Shorthand: {@code name(n).value(s)}. */
    JsonWriter member(String n, String s) {
        return name(n).value(s);
    }

    JsonWriter member(String n, long v) {
        return name(n).value(v);
    }

    JsonWriter member(String n, boolean v) {
        return name(n).value(v);
    }

    JsonWriter member(String n, Double v) {
        return name(n).value(v);
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] needsComma = open.peek();
        if (needsComma != null) {
            if (needsComma[0]) {
                write(',');
            }
            needsComma[0] = true;
        }
    }

    private void string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        write(b.append('"').toString());
    }

    private void write(char c) {
        try {
            out.write(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
