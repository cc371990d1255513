package org.mobilevpn.webconsole;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mobilevpn.api.FailureReason;

/**
 * How values of the status model read on the page: durations, rates, byte counts, failure reasons.
 * The JSON carries these texts next to the raw values, so the page's script shows them as they are.
 */
final class DisplayText {
    /** Shown for a value that does not exist (no tunnel) or is not known yet. */
    static final String NONE = "–";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private DisplayText() {
    }

    /** {@code 3d 04h 05m}, {@code 1h 02m 03s}, {@code 4m 05s}, {@code 7s}; "–" for null. */
    static String duration(Duration d) {
        if (d == null) {
            return NONE;
        }
        long s = Math.max(0, d.toSeconds());
        long days = s / 86_400;
        long hours = s % 86_400 / 3600;
        long minutes = s % 3600 / 60;
        long seconds = s % 60;
        if (days > 0) {
            return String.format(Locale.ROOT, "%dd %02dh %02dm", days, hours, minutes);
        }
        if (hours > 0) {
            return String.format(Locale.ROOT, "%dh %02dm %02ds", hours, minutes, seconds);
        }
        if (minutes > 0) {
            return String.format(Locale.ROOT, "%dm %02ds", minutes, seconds);
        }
        return seconds + "s";
    }

    /** A short duration such as a round trip: {@code 12.3 ms}, {@code 1.25 s}; "–" for null. */
    static String millis(Duration d) {
        if (d == null) {
            return NONE;
        }
        double ms = d.toNanos() / 1e6;
        return ms < 1000 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    /** {@code 850 bit/s}, {@code 12.4 kbit/s}, {@code 1.50 Mbit/s}, {@code 2.10 Gbit/s}; "–" when unknown. */
    static String rate(Double bitsPerSecond) {
        if (bitsPerSecond == null || bitsPerSecond.isNaN()) {
            return NONE;
        }
        double b = bitsPerSecond;
        if (b < 1e3) {
            return String.format(Locale.ROOT, "%.0f bit/s", b);
        }
        if (b < 1e6) {
            return String.format(Locale.ROOT, "%.1f kbit/s", b / 1e3);
        }
        if (b < 1e9) {
            return String.format(Locale.ROOT, "%.2f Mbit/s", b / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f Gbit/s", b / 1e9);
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.25 MiB}, {@code 1.00 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }

    /** {@code 2026-11-26 10:41:02 UTC}; "–" for null. */
    static String time(Instant t) {
        return t == null ? NONE : TIME.format(t);
    }

    /** yes / no. */
    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    /** What a failure reason means for an operator, in words. */
    static String reason(FailureReason reason) {
        switch (reason) {
            case AUTH_FAILED:
                return "the gateway refused our credentials";
            case PEER_AUTH_FAILED:
                return "the gateway's credentials did not verify";
            case NO_PROPOSAL_CHOSEN:
                return "no algorithms in common with the gateway";
            case TS_UNACCEPTABLE:
                return "the gateway refused the traffic selectors";
            case INTERNAL_ADDRESS_FAILURE:
                return "no usable virtual IP from the gateway";
            case UNREACHABLE:
                return "the gateway did not answer";
            case PEER_GONE:
                return "the gateway closed the connection or stopped answering";
            case TRAFFIC_STALLED:
                return "packets sent through the tunnel got no answer, also after a new Child SA";
            case INVALID_PROFILE:
                return "the profile is invalid";
            case INTERNAL:
            default:
                return "internal error";
        }
    }
}
