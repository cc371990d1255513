package org.mobilevpn.shell;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How the connection commands write numbers, durations and addresses: short, exact where it matters. */
final class StatusFormat {
    private StatusFormat() {
    }

    /** {@code 840 B}, {@code 12.3 KiB}, {@code 4.0 MiB}, {@code 1.5 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }

    /** {@code 42 ms}, {@code 5 s}, {@code 3 min 02 s}, {@code 1 h 02 min}, {@code 2 d 03 h}. */
    static String duration(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format("%d min %02d s", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format("%d h %02d min", s / 3600, s % 3600 / 60);
        }
        return String.format("%d d %02d h", s / 86400, s % 86400 / 3600);
    }

    /** {@code 198.51.100.1:4500}, {@code [2001:db8::1]:4500}. */
    static String endpoint(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Comma-separated numeric addresses, or {@code -}. */
    static String addresses(List<InetAddress> list) {
        return list.isEmpty() ? "-" : list.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
    }

    /** {@code REPLAY=2, ICV_FAIL=1}, or {@code -}. */
    static String counts(Map<?, Long> counts) {
        return counts.isEmpty() ? "-" : counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** An SPI as strongSwan prints it: eight hex digits. */
    static String spi(int spi) {
        return String.format("%08x", spi);
    }
}
