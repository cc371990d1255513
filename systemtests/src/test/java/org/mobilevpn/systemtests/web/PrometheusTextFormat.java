package org.mobilevpn.systemtests.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict checker for the Prometheus text exposition format, version 0.0.4 (the format behind
 * {@code Content-Type: text/plain; version=0.0.4}), as the Prometheus documentation "Exposition formats"
 * specifies it. It parses everything and rejects, naming the line:
 * <ul>
 * <li>lines not ending in {@code \n} (the last line too);</li>
 * <li>metric names outside {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names outside
 * {@code [a-zA-Z_][a-zA-Z0-9_]*} or starting with the reserved {@code __};</li>
 * <li>label values with a raw line feed or an escape other than {@code \\ \" \n}; HELP texts with an
 * escape other than {@code \\ \n}; duplicate label names in one sample;</li>
 * <li>values that are not Go-style floats ({@code NaN}, {@code +Inf}, {@code -Inf} allowed), timestamps
 * that are not integers;</li>
 * <li>more than one HELP or TYPE per family, a TYPE after the family's first sample, unknown types;</li>
 * <li>samples of one family that are not contiguous, the same series twice;</li>
 * <li>histograms without {@code le} on a bucket, without a {@code +Inf} bucket, with decreasing buckets or a
 * {@code _count} different from the {@code +Inf} bucket; summaries with a {@code le} or quantile samples
 * without {@code quantile}.</li>
 * </ul>
 */
final class PrometheusTextFormat {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|[+-]?Inf");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A family: its name, type (untyped when no TYPE line), help (may be null) and samples in order. */
    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> helps = new LinkedHashMap<>();
    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final Set<String> series = new HashSet<>();
    private String current;
    private int lineNumber;

    private PrometheusTextFormat() {
    }

    /**
     * Parses and checks an exposition.
     *
     * @param text the body of a {@code /metrics} answer
     * @return the families in the order they appear
     * @throws IllegalArgumentException naming the first violation and its line
     */
    static List<Family> parse(String text) {
        PrometheusTextFormat p = new PrometheusTextFormat();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with \\n");
        }
        for (String line : text.split("\n", -1)) {
            p.lineNumber++;
            p.line(line);
        }
        for (Family f : p.families.values()) {
            p.lineNumber = 0;
            p.checkFamily(f);
        }
        return List.copyOf(p.families.values());
    }

    private void line(String line) {
        if (line.contains("\r")) {
            fail("carriage return");
        }
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith("#")) {
            comment(line);
            return;
        }
        sample(line);
    }

    private void comment(String line) {
        String[] tokens = line.substring(1).stripLeading().split("[ \t]+", 3);
        if (tokens.length < 2 || !(tokens[0].equals("HELP") || tokens[0].equals("TYPE"))) {
            return; // any other comment is ignored by the format
        }
        String name = tokens[1];
        requireMetricName(name);
        if (tokens[0].equals("HELP")) {
            if (helps.containsKey(name)) {
                fail("second HELP for " + name);
            }
            String help = tokens.length > 2 ? tokens[2] : "";
            checkEscapes(help, "\\n", "HELP text");
            helps.put(name, help);
            startFamily(name);
        } else {
            if (types.containsKey(name)) {
                fail("second TYPE for " + name);
            }
            if (tokens.length < 3 || !TYPES.contains(tokens[2].strip())) {
                fail("TYPE of " + name + " must be one of " + TYPES);
            }
            if (families.containsKey(name) && !families.get(name).samples().isEmpty()) {
                fail("TYPE for " + name + " after its first sample");
            }
            types.put(name, tokens[2].strip());
            startFamily(name);
        }
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            i++;
        }
        String name = line.substring(0, i);
        requireMetricName(name);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        String rest = line.substring(i);
        if (rest.isEmpty() || !(rest.charAt(0) == ' ' || rest.charAt(0) == '\t')) {
            fail("no blank between the series and its value");
        }
        String[] fields = rest.strip().split("[ \t]+");
        if (fields.length > 2 || !FLOAT.matcher(fields[0]).matches()) {
            fail("value must be a float, optionally followed by an integer timestamp: '" + rest.strip() + "'");
        }
        if (fields.length == 2 && !TIMESTAMP.matcher(fields[1]).matches()) {
            fail("timestamp must be an integer: " + fields[1]);
        }
        String family = familyOf(name);
        if (!family.equals(current)) {
            if (finished.contains(family)) {
                fail("samples of " + family + " are not contiguous");
            }
            startFamily(family);
        }
        if (!series.add(name + labels)) {
            fail("series " + name + labels + " appears twice");
        }
        families.get(family).samples().add(new Sample(name, labels, parseValue(fields[0])));
    }

    /** Parses {@code name="value",...}} from {@code from}; returns the index after the closing brace. */
    private int labels(String line, int from, Map<String, String> labels) {
        int i = from;
        while (true) {
            if (i >= line.length()) {
                fail("unterminated label set");
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                fail("label without '='");
            }
            String label = line.substring(i, eq);
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                fail("invalid or reserved label name '" + label + "'");
            }
            if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                fail("label value of " + label + " must be in double quotes");
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (true) {
                if (j >= line.length()) {
                    fail("unterminated label value of " + label);
                }
                char c = line.charAt(j);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char next = j + 1 < line.length() ? line.charAt(j + 1) : 0;
                    switch (next) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> fail("invalid escape \\" + next + " in the value of " + label);
                    }
                    j += 2;
                } else {
                    value.append(c);
                    j++;
                }
            }
            if (labels.put(label, value.toString()) != null) {
                fail("label " + label + " twice");
            }
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            } else if (i >= line.length() || line.charAt(i) != '}') {
                fail("expected ',' or '}' after the value of " + label);
            }
        }
    }

    /** A histogram's or summary's {@code _bucket/_sum/_count} samples belong to the declared base name. */
    private String familyOf(String name) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return name;
    }

    private void startFamily(String name) {
        if (name.equals(current)) {
            return;
        }
        if (finished.contains(name)) {
            fail("lines of " + name + " are not contiguous");
        }
        if (current != null) {
            finished.add(current);
        }
        current = name;
        families.computeIfAbsent(name, n -> new Family(n, "untyped", null, new ArrayList<>()));
    }

    private void checkFamily(Family f) {
        String type = types.getOrDefault(f.name(), "untyped");
        Family typed = new Family(f.name(), type, helps.get(f.name()), f.samples());
        families.put(f.name(), typed);
        if (type.equals("histogram")) {
            checkHistogram(typed);
        } else if (type.equals("summary")) {
            for (Sample s : f.samples()) {
                if (s.labels().containsKey("le")) {
                    fail("summary " + f.name() + " has a sample with label le");
                }
                if (s.name().equals(f.name()) && !s.labels().containsKey("quantile")) {
                    fail("summary " + f.name() + " has a quantile sample without label quantile");
                }
            }
        }
    }

    private void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            if (s.labels().containsKey("quantile")) {
                fail("histogram " + f.name() + " has a sample with label quantile");
            }
            if (s.name().equals(f.name() + "_bucket")) {
                if (!s.labels().containsKey("le")) {
                    fail("bucket of " + f.name() + " without label le");
                }
                Map<String, String> others = new TreeMap<>(s.labels());
                others.remove("le");
                buckets.computeIfAbsent(others, k -> new ArrayList<>()).add(s);
            } else if (s.name().equals(f.name() + "_count")) {
                counts.put(s.labels(), s.value());
            } else if (!s.name().equals(f.name() + "_sum")) {
                fail("histogram " + f.name() + " has a sample named " + s.name());
            }
        }
        for (Map.Entry<Map<String, String>, List<Sample>> e : buckets.entrySet()) {
            List<Sample> list = new ArrayList<>(e.getValue());
            list.sort((a, b) -> Double.compare(parseValue(a.labels().get("le")), parseValue(b.labels().get("le"))));
            Sample last = list.get(list.size() - 1);
            if (!"+Inf".equals(last.labels().get("le"))) {
                fail("histogram " + f.name() + e.getKey() + " has no le=\"+Inf\" bucket");
            }
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).value() < list.get(i - 1).value()) {
                    fail("histogram " + f.name() + e.getKey() + ": buckets are not cumulative");
                }
            }
            Double count = counts.get(e.getKey());
            if (count == null || count.doubleValue() != last.value()) {
                fail("histogram " + f.name() + e.getKey() + ": _count " + count + " != +Inf bucket " + last.value());
            }
        }
    }

    private void requireMetricName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("invalid metric name '" + name + "'");
        }
    }

    private void checkEscapes(String text, String allowed, String what) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                if (next != '\\' && allowed.indexOf(next) < 0) {
                    fail("invalid escape \\" + next + " in " + what);
                }
                i++;
            }
        }
    }

    private double parseValue(String v) {
        if (v == null || !FLOAT.matcher(v).matches()) {
            fail("not a float: " + v);
        }
        return switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    private void fail(String message) {
        throw new IllegalArgumentException((lineNumber > 0 ? "line " + lineNumber + ": " : "") + message);
    }
}
