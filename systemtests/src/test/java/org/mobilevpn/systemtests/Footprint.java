package org.mobilevpn.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.Commands;
import org.mobilevpn.testsupport.Netns;

/**
 * What the runtime holds at one moment, for a soak to compare over time: the JVM's threads, open file
 * descriptors and resident memory (/proc/&lt;pid&gt;; RSS is reported, not compared: the JVM keeps heap it grew
 * into), its live heap (used after a full GC that {@code jcmd GC.run} asks for), and
 * what it installed in its network namespace (routes of every table, policy rules, nftables rules, TUN
 * devices).
 */
record Footprint(int threads, int fds, long rssKib, long heapKib, int routes, int rules, int nftLines, int tunDevices,
        Map<String, Integer> threadKinds) {
    /** A Java thread's line in {@code jcmd Thread.print}: its name in quotes, numbers in it replaced by '#'. */
    private static final Pattern THREAD_NAME = Pattern.compile("^\"(.*)\" #\\d+");
    /**
     * A heap line of {@code jcmd GC.heap_info}: one for G1's whole heap, but one per generation for the Serial
     * collector the runtime runs with (etc/jvm.options), so every such line counts. Metaspace lines have no
     * "total" and do not match.
     */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    static String header() {
        return String.format("%-10s %7s %5s %10s %10s %6s %5s %5s %4s", "at", "threads", "fds", "RSS KiB", "heap KiB",
                "routes", "rules", "nft", "tun");
    }

    String row(String at) {
        return String.format("%-10s %7d %5d %10d %10d %6d %5d %5d %4d", at, threads, fds, rssKib, heapKib, routes, rules,
                nftLines, tunDevices);
    }

    /** Samples the runtime with JVM {@code pid} running in {@code ns}. */
    static Footprint of(long pid, Netns ns) {
        return new Footprint(statusField(pid, "Threads:"), fds(pid), statusField(pid, "VmRSS:"), liveHeapKib(pid),
                lines(ns.exec("ip", "route", "show", "table", "all")) + lines(ns.exec("ip", "-6", "route", "show", "table", "all")),
                lines(ns.exec("ip", "rule")) + lines(ns.exec("ip", "-6", "rule")),
                lines(ns.exec("nft", "list", "ruleset")),
                lines(ns.exec("ip", "-o", "link", "show", "type", "tun")), threadKinds(pid));
    }

    /** A number from /proc/&lt;pid&gt;/status ("Threads:  42", "VmRSS:  123456 kB"). */
    private static int statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Integer.parseInt(line.substring(field.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + field + " line for " + pid);
    }

    private static int fds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many Java threads of each kind (name with its numbers as '#'), to say which ones grew. */
    private static Map<String, Integer> threadKinds(long pid) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (String line : Commands.check("jcmd", Long.toString(pid), "Thread.print").stdout().split("\n")) {
            Matcher m = THREAD_NAME.matcher(line);
            if (m.find()) {
                kinds.merge(m.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return kinds;
    }

    /** The kinds of thread that are more in {@code later} than here, with both counts. */
    String threadsGrownIn(Footprint later) {
        StringBuilder out = new StringBuilder();
        later.threadKinds.forEach((kind, n) -> {
            int before = threadKinds.getOrDefault(kind, 0);
            if (n > before) {
                out.append(String.format("%n  %s: %d -> %d", kind, before, n));
            }
        });
        return out.toString();
    }

    /** Heap in use right after a full collection: what the runtime really keeps alive. */
    private static long liveHeapKib(long pid) {
        Commands.check("jcmd", Long.toString(pid), "GC.run");
        CommandResult info = Commands.check("jcmd", Long.toString(pid), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info.stdout());
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no heap figure in: " + info.stdout());
        }
        return used;
    }

    private static int lines(CommandResult r) {
        r.check();
        return (int) r.stdout().lines().filter(l -> !l.isBlank()).count();
    }
}
