package org.mobilevpn.csp;

import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one configuration's raw values the lenient way swanctl.conf users expect, whatever the source
 * wrote: a {@code .cfg} file gives strings, a {@code .config} file or the Web Console gives typed
 * values and arrays, a policy document gives JSON values. A list is an array or one comma-separated
 * string; a boolean is {@code true/false/yes/no}; a time is {@code 30s/5m/4h/1d} or a number of
 * seconds. An empty value counts as absent. A value of the wrong shape becomes a problem naming the
 * key; nothing here throws. Secret keys are never quoted in a message.
 */
final class PropertyValues {
    private final Map<String, ?> raw;
    private final Problems problems;

    PropertyValues(Map<String, ?> raw, Problems problems) {
        this.raw = raw;
        this.problems = problems;
    }

    /** One text value, trimmed; absent when missing or empty. */
    Optional<String> string(String key) {
        Object v = raw.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return s.isBlank() ? Optional.empty() : Optional.of(s.strip());
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            return Optional.of(v.toString());
        }
        List<String> items = elements(key, v);
        if (items == null) {
            return Optional.empty();
        }
        if (items.size() > 1) {
            problems.add(key, "one value expected, got " + items.size());
            return Optional.empty();
        }
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }

    /** A list: array or collection elements, each split at commas, trimmed, empty entries dropped. */
    List<String> list(String key) {
        Object v = raw.get(key);
        if (v == null) {
            return List.of();
        }
        List<String> items = v instanceof String s ? List.of(s) : elements(key, v);
        if (items == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String item : items) {
            for (String part : item.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /** A list that is present (possibly empty after dropping blanks) or absent. */
    boolean present(String key) {
        return raw.get(key) != null;
    }

    Optional<Boolean> bool(String key) {
        Object v = raw.get(key);
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        switch (s.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> { return Optional.of(true); }
            case "false", "no" -> { return Optional.of(false); }
            default -> {
                problems.add(key, Quote.of(s.get()) + " is not a boolean: use yes/no or true/false");
                return Optional.empty();
            }
        }
    }

    Optional<Duration> duration(String key) {
        Object v = raw.get(key);
        try {
            if (v instanceof Number n) {
                return Optional.of(DurationParser.ofSeconds(n));
            }
            Optional<String> s = string(key);
            return s.map(DurationParser::parse);
        } catch (IllegalArgumentException e) {
            problems.add(key, Quote.of(v instanceof Number ? v : string(key).orElse("")) + " " + e.getMessage());
            return Optional.empty();
        }
    }

    Optional<Integer> integer(String key, int min, int max) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            int i = Integer.parseInt(s.get());
            if (i >= min && i <= max) {
                return Optional.of(i);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key, Quote.of(s.get()) + " is not a whole number in " + min + ".." + max);
        return Optional.empty();
    }

    /** Elements of an array or collection as text; {@code null} (and a problem) for other shapes. */
    private List<String> elements(String key, Object v) {
        List<String> out = new ArrayList<>();
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            for (int i = 0; i < n; i++) {
                Object e = Array.get(v, i);
                if (!addScalar(out, e)) {
                    problems.add(key, "element " + (i + 1) + " is not a text, number or boolean");
                    return null;
                }
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                i++;
                if (!addScalar(out, e)) {
                    problems.add(key, "element " + i + " is not a text, number or boolean");
                    return null;
                }
            }
            return out;
        }
        problems.add(key, "has an unusable type " + v.getClass().getSimpleName());
        return null;
    }

    private static boolean addScalar(List<String> out, Object e) {
        if (e == null) {
            return true;
        }
        if (e instanceof String || e instanceof Number || e instanceof Boolean || e instanceof Character) {
            String s = e.toString().strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
            return true;
        }
        return false;
    }
}
