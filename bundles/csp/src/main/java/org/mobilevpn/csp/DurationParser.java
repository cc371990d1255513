package org.mobilevpn.csp;

import java.time.Duration;
import java.util.Locale;

/**
 * strongSwan's time values (swanctl.conf: {@code dpd_delay = 30s}, {@code rekey_time = 4h}): a
 * non-negative whole number with an optional unit {@code s}, {@code m}, {@code h} or {@code d};
 * without a unit it counts seconds.
 */
final class DurationParser {

    private DurationParser() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong (the caller adds key and value)
     */
    static Duration parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        switch (last) {
            case 's' -> unit = 1;
            case 'm' -> unit = 60;
            case 'h' -> unit = 3600;
            case 'd' -> unit = 86400;
            default -> {
                if (!Character.isDigit(last)) {
                    throw new IllegalArgumentException("has an unknown unit: use s, m, h or d (e.g. 30s, 5m, 4h, 1d)");
                }
            }
        }
        String digits = Character.isDigit(last) ? s : s.substring(0, s.length() - 1).strip();
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("is not a whole non-negative number with a unit s, m, h or d (e.g. 30s, 5m, 4h, 1d)");
        }
        try {
            return Duration.ofSeconds(Math.multiplyExact(Long.parseLong(digits), unit));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too large");
        }
    }

    /** A number from a typed configuration: whole seconds. */
    static Duration ofSeconds(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("is not a whole number of seconds");
            }
        }
        long seconds = n.longValue();
        if (seconds < 0) {
            throw new IllegalArgumentException("is negative");
        }
        return Duration.ofSeconds(seconds);
    }
}
