package org.mobilevpn.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict checker of the Prometheus text exposition format 0.0.4, for the tests: every line is a
 * HELP, a TYPE, another comment, or a sample matching the grammar (metric name, optional labels with
 * escaped values, a float or NaN/+Inf/-Inf, optional timestamp); each family has at most one HELP and
 * one TYPE, both before its first sample; a family's lines are contiguous; no series appears twice;
 * counters are not negative; the text ends with a newline. Returns the samples with label values
 * unescaped, so tests can compare them with what was meant.
 */
final class ExpositionFormatChecker {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") ((?:[^\\\\\\n]|\\\\[\\\\n])*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE_HEAD = Pattern.compile("(" + NAME + ")(\\{|\\s)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern VALUE = Pattern.compile(
            " (NaN|[+-]Inf|[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(?: (-?[0-9]+))?");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private ExpositionFormatChecker() {
    }

    static List<Sample> check(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw fail(0, "the text does not end with a newline", "");
        }
        Map<String, String> types = new HashMap<>();
        Set<String> helps = new HashSet<>();
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) {
            String line = lines[n];
            if (line.startsWith("#")) {
                Matcher h = HELP.matcher(line);
                Matcher t = TYPE.matcher(line);
                String family;
                if (line.startsWith("# HELP ")) {
                    if (!h.matches()) {
                        throw fail(n, "malformed HELP", line);
                    }
                    family = h.group(1);
                    if (!helps.add(family)) {
                        throw fail(n, "second HELP for " + family, line);
                    }
                } else if (line.startsWith("# TYPE ")) {
                    if (!t.matches()) {
                        throw fail(n, "malformed TYPE", line);
                    }
                    family = t.group(1);
                    if (types.put(family, t.group(2)) != null) {
                        throw fail(n, "second TYPE for " + family, line);
                    }
                } else {
                    continue; // a plain comment
                }
                if (series.stream().anyMatch(s -> s.startsWith(family + "{") || s.equals(family))) {
                    throw fail(n, "HELP/TYPE after samples of " + family, line);
                }
                current = enter(n, line, family, current, finished);
                continue;
            }
            if (line.isEmpty()) {
                throw fail(n, "empty line", line);
            }
            Matcher head = SAMPLE_HEAD.matcher(line);
            if (!head.lookingAt()) {
                throw fail(n, "not a sample line", line);
            }
            String name = head.group(1);
            int pos = head.end(1);
            Map<String, String> labels = new LinkedHashMap<>();
            if (line.charAt(pos) == '{') {
                pos++;
                while (line.charAt(pos) != '}') {
                    Matcher l = LABEL.matcher(line).region(pos, line.length());
                    if (!l.lookingAt()) {
                        throw fail(n, "malformed label at column " + pos, line);
                    }
                    if (labels.put(l.group(1), unescape(l.group(2))) != null) {
                        throw fail(n, "label " + l.group(1) + " twice", line);
                    }
                    pos = l.end();
                    if (line.charAt(pos) == ',') {
                        pos++;
                    } else if (line.charAt(pos) != '}') {
                        throw fail(n, "',' or '}' expected at column " + pos, line);
                    }
                }
                pos++;
            }
            Matcher v = VALUE.matcher(line).region(pos, line.length());
            if (!v.matches()) {
                throw fail(n, "malformed value", line);
            }
            double value = parse(v.group(1));
            String family = familyOf(name, types);
            if (!types.containsKey(family) || !helps.contains(family)) {
                throw fail(n, "sample without HELP and TYPE before it", line);
            }
            current = enter(n, line, family, current, finished);
            if (name.equals(family + "_bucket") && !labels.containsKey("le")) {
                throw fail(n, "histogram bucket without le", line);
            }
            if (types.get(family).equals("counter") && value < 0) {
                throw fail(n, "negative counter", line);
            }
            String key = name + new java.util.TreeMap<>(labels);
            if (!series.add(key)) {
                throw fail(n, "series appears twice", line);
            }
            series.add(name);
            samples.add(new Sample(name, labels, value));
        }
        return samples;
    }

    /** A histogram's series name its family with a suffix (_bucket, _sum, _count); other samples are their family. */
    private static String familyOf(String name, Map<String, String> types) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            String base = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
            if (base != null && "histogram".equals(types.get(base))) {
                return base;
            }
        }
        return name;
    }

    /** The family of this line; a family left earlier may not come back (lines of a family are contiguous). */
    private static String enter(int n, String line, String family, String current, Set<String> finished) {
        if (family.equals(current)) {
            return current;
        }
        if (finished.contains(family)) {
            throw fail(n, "lines of " + family + " are not contiguous", line);
        }
        if (current != null) {
            finished.add(current);
        }
        return family;
    }

    private static double parse(String v) {
        switch (v) {
            case "NaN": return Double.NaN;
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(v);
        }
    }

    private static String unescape(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                char e = v.charAt(++i);
                b.append(e == 'n' ? '\n' : e);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static AssertionError fail(int line, String what, String text) {
        return new AssertionError("exposition format, line " + (line + 1) + ": " + what + ": " + text);
    }
}
