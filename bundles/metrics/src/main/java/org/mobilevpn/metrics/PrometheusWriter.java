package org.mobilevpn.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Prometheus text exposition format 0.0.4: per metric family one {@code # HELP} and one {@code # TYPE}
 * line before its samples, then {@code name{label="value",...} value}. Label values escape backslash,
 * double quote and newline ({@code \\ \" \n}); help texts escape backslash and newline. Names are
 * checked against the format's grammar. Two samples of one family with the same labels are added up,
 * because the format forbids duplicates (two SAs could share a gateway SPI in a rare race). A histogram
 * family writes its series with the suffixes {@code _bucket} (label {@code le}), {@code _sum} and
 * {@code _count} under the family's one HELP and TYPE ({@link #histogram}).
 */
final class PrometheusWriter {
    /** The Content-Type of this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Map<String, Family> families = new LinkedHashMap<>();
    private Family current;

    /**
     * Starts a family; the samples that follow belong to it.
     *
     * @param type counter, gauge or histogram
     */
    PrometheusWriter family(String name, String type, String help) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (!type.equals("counter") && !type.equals("gauge") && !type.equals("histogram")) {
            throw new IllegalArgumentException("type " + type);
        }
        current = families.computeIfAbsent(name, n -> new Family(n, type, help));
        return this;
    }

    /** A sample of the current family with labels given as name, value, name, value, ... */
    PrometheusWriter sample(double value, String... labels) {
        if (current == null) {
            throw new IllegalStateException("sample before family");
        }
        if (current.type.equals("histogram")) {
            throw new IllegalStateException("a histogram's samples come from histogram()");
        }
        return series("", value, labels);
    }

    /**
     * The series of one histogram of the current (histogram) family: a cumulative {@code _bucket} per upper
     * bound and {@code +Inf}, then {@code _sum} and {@code _count}.
     *
     * @param upperBounds   the buckets' upper bounds, ascending
     * @param cumulative    per bound, the observations less than or equal to it
     * @param count         all observations (the +Inf bucket)
     * @param sum           the sum of the observed values
     * @param labels        the labels of this histogram, as for {@link #sample}
     */
    PrometheusWriter histogram(double[] upperBounds, long[] cumulative, long count, double sum, String... labels) {
        if (current == null || !current.type.equals("histogram")) {
            throw new IllegalStateException("histogram outside a histogram family");
        }
        String[] withLe = new String[labels.length + 2];
        System.arraycopy(labels, 0, withLe, 0, labels.length);
        withLe[labels.length] = "le";
        for (int i = 0; i < upperBounds.length; i++) {
            withLe[labels.length + 1] = number(upperBounds[i]);
            series("_bucket", cumulative[i], withLe);
        }
        withLe[labels.length + 1] = "+Inf";
        series("_bucket", count, withLe);
        series("_sum", sum, labels);
        return series("_count", count, labels);
    }

    private PrometheusWriter series(String suffix, double value, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < labels.length; i += 2) {
            if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__")
                    || (labels[i].equals("le") && !suffix.equals("_bucket"))) {
                throw new IllegalArgumentException("not a label name: " + labels[i]);
            }
            key.append(key.length() == 0 ? "{" : ",").append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1]))
                    .append('"');
        }
        if (key.length() > 0) {
            key.append('}');
        }
        current.samples.merge(suffix + key, value, Double::sum);
        return this;
    }

    /** The exposition text, families in the order they were started. */
    String text() {
        StringBuilder out = new StringBuilder(4096);
        for (Family f : families.values()) {
            out.append("# HELP ").append(f.name).append(' ').append(escapeHelp(f.help)).append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
            for (Map.Entry<String, Double> s : f.samples.entrySet()) {
                out.append(f.name).append(s.getKey()).append(' ').append(number(s.getValue())).append('\n');
            }
        }
        return out.toString();
    }

    static String escapeLabel(String v) {
        return (v == null ? "" : v).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Integers without a fraction (counters read naturally), others as Java prints them; NaN and infinities as the format spells them. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static final class Family {
        final String name;
        final String type;
        final String help;
        final Map<String, Double> samples = new LinkedHashMap<>();

        Family(String name, String type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }
    }
}
