package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Issue 14's footprint and start-up figures of the runtime as an operator starts it ({@code bin/mobilevpn
 * --daemon} of a fresh copy, an autostart profile in etc/, one AES-GCM tunnel against strongSwan): process
 * start to the first ping answered through the tunnel (fresh copy, then restart with data/ kept), RSS with the
 * tunnel up and idle, peak RSS under iperf3, iperf3's throughput, and, after the restart, the Web Console's first
 * answer (by default the web feature starts on that request) and the RSS after it.
 *
 * <p>By default it measures the launcher's own settings once (about a minute) and checks that every measurement
 * ran and produced a figure, not its value: the machine is shared, so a timed bound would say more about the
 * other builds than about the runtime. The figures are in docs/benchmarks.md.
 *
 * <p>{@code -Dmvpn.footprint.levers=true} measures, in the same run, each option set of {@link #LEVERS}, written
 * as the copy's etc/jvm.options (the file the launcher reads); {@code -Dmvpn.footprint.repeats=N} times each
 * (default 1), with {@code -Dmvpn.footprint.seconds} of iperf3 (default 5). {@code -Dmvpn.footprint.extra=
 * NAME:OPTIONS|NAME:OPTIONS} adds sets (a NAME without ':'), {@code -Dmvpn.footprint.props=NAME=key=value;key=value}
 * adds sets of framework properties appended to the copy's etc/framework.properties, {@code
 * -Dmvpn.footprint.only=NAME,NAME} keeps only those (names without ','). Results: target/system-tests/RuntimeFootprintIT/.../results/footprint.txt.
 * {@code -Dmvpn.footprint.inspect=true} also writes, per set, where the memory is at idle and after iperf3
 * (results/inspect-RUN-*.txt: threads by name, NMT, heap, code cache, live objects, pmap), which adds jcmd's attach
 * to the process before its peak is read.
 */
@SystemTest(tag = "footprint", requires = {"java", "tun", "ping", "charon", "swanctl", "iperf3", "python3"})
class RuntimeFootprintIT {
    private static final String PROPOSAL = "aes256gcm16";
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");
    /**
     * One option set: the copy's etc/jvm.options ({@code null}: the launcher's own), whether the copy leaves
     * out the web feature (Jetty, the Web Console, their libraries), as a {@code -Dnoweb} build would, and lines
     * appended to the copy's etc/framework.properties ({@code ""}: none); {@code glibcArenas} runs the copy with
     * glibc's own number of malloc arenas instead of the launcher's MALLOC_ARENA_MAX; {@code joranLogging} adds a
     * comment to the copy's etc/logback.xml, so that Logback reads it with Joran instead of the launcher's
     * DefaultLogging setting the shipped file up in code.
     */
    record Lever(String jvmOptions, boolean withoutWeb, String frameworkProperties, boolean glibcArenas,
            boolean joranLogging) {
        Lever(String jvmOptions, boolean withoutWeb, String frameworkProperties, boolean glibcArenas) {
            this(jvmOptions, withoutWeb, frameworkProperties, glibcArenas, false);
        }

        Lever(String jvmOptions, boolean withoutWeb) {
            this(jvmOptions, withoutWeb, "", false);
        }

        Lever(String jvmOptions, boolean withoutWeb, String frameworkProperties) {
            this(jvmOptions, withoutWeb, frameworkProperties, false);
        }
    }

    private static final Lever DEFAULTS = new Lever(null, false);
    /** The web feature's bundles in bundle/2 and deploy/ (feature-web's pom). */
    private static final Pattern WEB_BUNDLES = Pattern.compile(
            "org\\.apache\\.felix\\.(http|webconsole|inventory).*|encoder-.*|commons-(fileupload|io)-.*|org\\.mobilevpn\\.webconsole-.*");

    /**
     * Option sets compared in one run. "before" is the launcher of issue 14's measurement (no options: G1 and the
     * JVM's heap sizing for the machine), the reference for the throughput cost.
     */
    private static final Map<String, Lever> LEVERS = levers();

    private static Map<String, Lever> levers() {
        Map<String, Lever> l = new LinkedHashMap<>();
        String serial = "-XX:+UseSerialGC -Xmx48m";
        String c1 = serial + " -XX:TieredStopAtLevel=1";
        l.put("before (no options)", new Lever("-Xshare:auto", false));
        l.put("launcher defaults", DEFAULTS);
        l.put("glibc malloc arenas", new Lever(null, false, "", true));
        l.put("logback.xml read by Joran", new Lever(null, false, "", false, true));
        l.put("without web", new Lever(null, true));
        // the framework begins at the web feature's level: Jetty starts beside our bundles, as before DeferredStartLevel
        l.put("web not deferred", new Lever(null, false, "org.osgi.framework.startlevel.beginning=4"));
        l.put("session 3 start: Xmx32m; glibc arenas; web not deferred", new Lever(
                "-XX:+UseSerialGC -Xmx32m -XX:CompileThresholdScaling=5", false, "org.osgi.framework.startlevel.beginning=4",
                true));
        l.put("SerialGC", new Lever("-XX:+UseSerialGC", false));
        l.put("SerialGC Xmx32m", new Lever("-XX:+UseSerialGC -Xmx32m", false));
        l.put("SerialGC Xmx48m", new Lever(serial, false));
        l.put("SerialGC Xmx48m FreeRatio10-20", new Lever(serial + " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20",
                false));
        l.put("SerialGC Xmx48m Xss256k", new Lever(serial + " -Xss256k", false));
        l.put("SerialGC Xmx48m CodeCache16m", new Lever(serial + " -XX:ReservedCodeCacheSize=16m", false));
        l.put("SerialGC Xmx48m C1", new Lever(c1, false));
        l.put("SerialGC Xmx48m C1 no web", new Lever(c1, true));
        l.put("SerialGC Xmx48m C1 CDS", new Lever(c1 + " -XX:SharedArchiveFile=${mobilevpn.home}/data/cds/runtime.jsa",
                false));
        String defaults = "-XX:+UseSerialGC -Xmx32m -Xmn4m -XX:CompileThresholdScaling=5";
        // the archive is written 20 s into the cold run (ClassDataArchive) and mapped by the restart
        l.put("CDS", new Lever(defaults + " -XX:SharedArchiveFile=${mobilevpn.home}/data/cds/runtime.jsa", false));
        l.put("JDK CDS archive off", new Lever(defaults + " -Xshare:off", false));
        l.put("SerialGC Xmx48m Metaspace48m", new Lever(serial + " -XX:MaxMetaspaceSize=48m", false));
        l.put("SerialGC Xmx48m MaxDirect16m", new Lever(serial + " -XX:MaxDirectMemorySize=16m", false));
        for (String entry : System.getProperty("mvpn.footprint.extra", "").split("\\|")) {
            int colon = entry.indexOf(':');
            if (colon > 0) {
                l.put(entry.substring(0, colon).strip(), new Lever(entry.substring(colon + 1).strip(), false));
            }
        }
        // framework properties on top of the launcher's defaults: NAME=key=value;key=value (-Dmvpn.footprint.props)
        for (String entry : System.getProperty("mvpn.footprint.props", "").split("\\|")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                l.put(entry.substring(0, eq).strip(), new Lever(null, false,
                        String.join("\n", entry.substring(eq + 1).strip().split(";"))));
            }
        }
        String only = System.getProperty("mvpn.footprint.only");
        if (only != null) {
            l.keySet().removeIf(name -> !List.of(only.split(",")).contains(name));
        }
        return l;
    }

    /** One measurement of one option set. */
    record Figures(String name, long coldMs, long coldCpuMs, long restartMs, long restartCpuMs, long stopMs,
            long rssIdleKib, long rssRestartIdleKib, long rssPeakKib, double mbits, double cpuSecondsPerGib,
            long consoleMs, long rssConsoleKib, String load) {
        String line() {
            return String.format("%-30s cold %5d ms (CPU %5d ms)  restart %5d ms (CPU %5d ms)  stop %5d ms  "
                    + "RSS idle %3d MiB, after restart %3d MiB, peak under iperf3 %3d MiB  %4.0f Mbit/s  "
                    + "CPU %.2f s/GiB  console's first answer %s  load %s", name, coldMs, coldCpuMs, restartMs,
                    restartCpuMs, stopMs, rssIdleKib / 1024, rssRestartIdleKib / 1024, rssPeakKib / 1024, mbits,
                    cpuSecondsPerGib, consoleMs < 0 ? "- (no web feature)"
                            : String.format("%5d ms, RSS after it %3d MiB", consoleMs, rssConsoleKib / 1024), load);
        }
    }

    @Test
    void startUpAndFootprintOfOneTunnel(SystemTestContext ctx) throws Exception {
        boolean levers = Boolean.getBoolean("mvpn.footprint.levers");
        int repeats = levers ? Integer.getInteger("mvpn.footprint.repeats", 1) : 1;
        int seconds = Integer.getInteger("mvpn.footprint.seconds", 5);
        TestNetwork net = ctx.standardNetwork();
        String secret = "footprint-" + System.nanoTime();
        ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret)
                .configure("rw", c -> c.espProposals(PROPOSAL)).build()));
        NsProcess server = ctx.register(net.lan().start("iperf3-server", "iperf3", "-s", "--forceflush"));
        server.awaitOutput("Server listening", Duration.ofSeconds(10));
        Map<String, String> etc = Map.of("org.mobilevpn.profile-office.cfg", String.join("\n",
                "name = office", "remote_addrs = " + TestNetwork.GATEWAY_IP, "local_id = " + StrongSwanGateway.CLIENT_ID,
                "remote_id = " + StrongSwanGateway.GATEWAY_ID, "psk = " + secret, "vips = 0.0.0.0",
                "remote_ts = " + TestNetwork.LAN_NET, "esp_proposals = " + PROPOSAL, "encap = true", "autostart = true", ""));

        Map<String, Lever> sets = levers ? LEVERS : Map.of("launcher defaults", DEFAULTS);
        List<Figures> all = new ArrayList<>();
        Path results = ctx.outputDir("results").resolve("footprint.txt");
        Files.deleteIfExists(results);
        for (int r = 0; r < repeats; r++) {
            for (Map.Entry<String, Lever> set : sets.entrySet()) {
                Figures f = measure(ctx, net, etc, set.getKey(), set.getValue(), seconds, all.size());
                all.add(f);
                Files.writeString(results, f.line() + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                System.out.println(f.line());
            }
        }
        for (Figures f : all) {
            // each measurement ran and produced a figure; the values go to docs/benchmarks.md, not into asserts
            assertTrue(f.coldMs() > 0 && f.restartMs() > 0 && f.coldCpuMs() > 0 && f.restartCpuMs() > 0
                    && f.stopMs() > 0, f.line());
            assertTrue(f.rssIdleKib() > 0 && f.rssRestartIdleKib() > 0 && f.rssPeakKib() >= f.rssIdleKib(), f.line());
            assertTrue(f.mbits() > 0 && f.cpuSecondsPerGib() > 0, f.line());
            assertTrue(f.consoleMs() != 0 && f.rssConsoleKib() != 0, f.line()); // -1: a set without the web feature
        }
    }

    private static Figures measure(SystemTestContext ctx, TestNetwork net, Map<String, String> etc, String name,
            Lever lever, int seconds, int run) throws Exception {
        String loadBefore = loadAverage();
        long[] started = new long[1];
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("run" + run), etc, home -> {
            if (lever.jvmOptions() != null) {
                writeJvmOptions(home, lever.jvmOptions());
            }
            if (lever.withoutWeb()) {
                removeWebFeature(home);
            }
            if (lever.glibcArenas()) {
                withGlibcArenas(home);
            }
            if (lever.joranLogging()) {
                appendToLogbackXml(home);
            }
            if (!lever.frameworkProperties().isEmpty()) {
                appendFrameworkProperties(home, lever.frameworkProperties());
            }
            started[0] = System.currentTimeMillis(); // the process starts right after this
        }));
        long cold = untilFirstPing(net, runtime, started[0]);
        long coldCpu = cpuMillis(runtime.pid());
        String threads = cpuByThread(runtime.pid());
        long rssIdle = idleRss(runtime);
        inspect(ctx, runtime, run, "idle");
        long cpuBefore = cpuMillis(runtime.pid());
        double mbits = iperf(net, seconds);
        // the runtime's CPU per byte carried: on a shared machine a steadier measure of its cost than Mbit/s
        double cpuPerGib = (cpuMillis(runtime.pid()) - cpuBefore) / 1000.0 / (mbits * 1e6 * seconds / 8 / (1L << 30));
        long rssPeak = status(runtime.pid(), "VmHWM:"); // the process's peak, start-up included
        inspect(ctx, runtime, run, "after-iperf3");
        if (lever.jvmOptions() != null && lever.jvmOptions().contains("-XX:SharedArchiveFile=")) {
            awaitClassDataArchive(runtime); // so that the restart maps it
        }
        long stopStart = System.nanoTime();
        assertTrue(runtime.stop(Duration.ofSeconds(60)) == 0, "exit status of the stop:\n" + runtime.log());
        long stop = Duration.ofNanos(System.nanoTime() - stopStart).toMillis(); // a CDS archive is written here
        started[0] = System.currentTimeMillis();
        runtime.restart();
        long restart = untilFirstPing(net, runtime, started[0]);
        long restartCpu = cpuMillis(runtime.pid());
        long rssRestartIdle = idleRss(runtime);
        long console = lever.withoutWeb() ? -1 : firstConsoleAnswer(net, runtime);
        long rssConsole = lever.withoutWeb() ? -1 : idleRss(runtime);
        runtime.stop(Duration.ofSeconds(60));
        runtime.close();
        Files.writeString(ctx.outputDir("results").resolve("threads.txt"), name + ": " + threads + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return new Figures(name, cold, coldCpu, restart, restartCpu, stop, rssIdle, rssRestartIdle, rssPeak, mbits,
                cpuPerGib, console, rssConsole, loadBefore + " / " + loadAverage());
    }

    /**
     * Milliseconds from a request for the Web Console's status JSON (with the runtime's login, from the client
     * namespace where it listens on 127.0.0.1) to its answer, which must be 200: with the launcher's defaults the
     * first request is also what starts the web feature.
     */
    private static long firstConsoleAnswer(TestNetwork net, RuntimeProcess runtime) {
        String script = String.join("\n", "import base64, sys, time, urllib.request",
                "req = urllib.request.Request('http://127.0.0.1:8080/system/console/vpn/status.json')",
                "req.add_header('Authorization', 'Basic ' + base64.b64encode(sys.argv[1].encode()).decode())",
                "start = time.monotonic()",
                "status = urllib.request.urlopen(req, timeout=60).status",
                "print(status, int((time.monotonic() - start) * 1000))");
        CommandResult r = net.client().exec(Duration.ofSeconds(90), "python3", "-c", script, runtime.webConsoleLogin());
        String[] answer = r.stdout().strip().split(" ");
        assertTrue(r.ok() && answer.length == 2 && answer[0].equals("200"), "the console's first request: " + r.stdout()
                + r.stderr() + "\n" + runtime.log());
        return Long.parseLong(answer[1]);
    }

    /** The CDS archive that the runtime writes once its start-up is over (launcher's ClassDataArchive). */
    private static void awaitClassDataArchive(RuntimeProcess runtime) throws InterruptedException {
        Path archive = runtime.home().resolve("data/cds/runtime.jsa");
        for (int i = 0; i < 600 && !Files.isRegularFile(archive); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.isRegularFile(archive), "no class data archive written within 60 s:\n" + runtime.log());
    }

    /**
     * With {@code -Dmvpn.footprint.inspect=true}: where the runtime's memory is at this moment, written to
     * results/inspect-RUN-WHEN.txt: /proc's memory and thread figures, the threads by name, the JVM's native memory
     * summary (when the set runs with {@code -XX:NativeMemoryTracking=summary}), heap, metaspace and code cache, the
     * live objects by class (after iperf3 only: it collects the heap), and the largest mappings by RSS (pmap -x). A diagnosis for choosing levers; nothing is asserted of it.
     */
    private static void inspect(SystemTestContext ctx, RuntimeProcess runtime, int run, String when) throws IOException {
        if (!Boolean.getBoolean("mvpn.footprint.inspect")) {
            return;
        }
        String pid = Long.toString(runtime.pid());
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.matches("(Vm|Rss|Threads).*")) {
                out.append(line).append('\n');
            }
        }
        Map<String, Integer> threads = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    threads.merge(Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+$", "#"), 1, Integer::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        out.append("threads by name: ").append(threads).append("\n\n");
        List<String> commands = new ArrayList<>(List.of("VM.native_memory summary", "GC.heap_info", "VM.metaspace",
                "Compiler.codecache"));
        if (!when.equals("idle")) {
            commands.add("GC.class_histogram"); // a full collection first: only once nothing else is measured
        }
        for (String command : commands) {
            List<String> argv = new ArrayList<>(List.of("jcmd", pid));
            argv.addAll(List.of(command.split(" ")));
            out.append("== jcmd ").append(command).append('\n').append(org.mobilevpn.testsupport.Commands.run(
                    argv.toArray(String[]::new)).stdout()).append('\n');
        }
        String[] pmap = org.mobilevpn.testsupport.Commands.run("pmap", "-x", pid).stdout().split("\n");
        out.append("== pmap -x, mappings over 256 KiB RSS, largest first\n");
        java.util.Arrays.stream(pmap).filter(l -> l.matches("[0-9a-f]{16} .*"))
                .filter(l -> Long.parseLong(l.trim().split("\\s+")[2]) > 256)
                .sorted(java.util.Comparator.comparingLong((String l) -> -Long.parseLong(l.trim().split("\\s+")[2])))
                .forEach(l -> out.append(l).append('\n'));
        Files.writeString(ctx.outputDir("results").resolve("inspect-" + run + "-" + when + ".txt"), out);
    }

    /** VmRSS with the tunnel up and idle, once what start-up left behind has settled. */
    private static long idleRss(RuntimeProcess runtime) throws Exception {
        Thread.sleep(3000);
        return status(runtime.pid(), "VmRSS:");
    }

    private static void removeWebFeature(Path home) {
        try (var jars = Files.walk(home)) {
            for (Path jar : jars.filter(p -> WEB_BUNDLES.matcher(p.getFileName().toString()).matches()).toList()) {
                Files.delete(jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The launcher without its MALLOC_ARENA_MAX default (an environment variable: not a JVM option). */
    private static void withGlibcArenas(Path home) {
        try {
            Path script = home.resolve("bin/mobilevpn");
            String text = Files.readString(script);
            String changed = text.replaceAll("(?m)^\\s*export MALLOC_ARENA_MAX=.*$", "");
            assertTrue(!changed.equals(text), "bin/mobilevpn no longer sets MALLOC_ARENA_MAX");
            Files.writeString(script, changed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An operator's etc/logback.xml: the shipped one with a comment added, which Logback reads with Joran. */
    private static void appendToLogbackXml(Path home) {
        try {
            Files.writeString(home.resolve("etc/logback.xml"), "<!-- the operator's copy -->\n",
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void appendFrameworkProperties(Path home, String lines) {
        try {
            Files.writeString(home.resolve("etc/framework.properties"), "\n" + lines + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeJvmOptions(Path home, String options) {
        try {
            Files.writeString(home.resolve("etc/jvm.options"), String.join("\n", options.split("\\s+")) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Milliseconds from {@code startedMillis} to the first ping answered by the LAN host. Without the tunnel the
     * LAN host has no route back to the client (only to the virtual-IP pool), so an answer is proof that the
     * tunnel carries packets. The pings run in the client namespace in a loop of one 100 ms ping each, which
     * prints the wall-clock time of its answer.
     */
    private static long untilFirstPing(TestNetwork net, RuntimeProcess runtime, long startedMillis) {
        CommandResult r = net.client().exec(Duration.ofSeconds(150), "sh", "-c",
                "end=$(($(date +%s) + 120)); until ping -c 1 -W 0.1 -q " + TestNetwork.LAN_HOST_IP
                        + " >/dev/null 2>&1; do [ $(date +%s) -lt $end ] || exit 1; done; date +%s%3N");
        assertTrue(r.ok(), "no ping through the tunnel within 120 s:\n" + runtime.log());
        return Long.parseLong(r.stdout().strip()) - startedMillis;
    }

    private static double iperf(TestNetwork net, int seconds) {
        CommandResult r = net.client().exec(Duration.ofSeconds(seconds + 30), "iperf3", "-c", TestNetwork.LAN_HOST_IP,
                "-t", Integer.toString(seconds), "-O", "1", "-J");
        Matcher m = RECEIVED.matcher(r.stdout());
        assertTrue(m.find(), "iperf3 output: " + r.stdout() + r.stderr());
        return Double.parseDouble(m.group(1)) / 1e6;
    }

    /** A KiB figure of /proc/PID/status (VmRSS, VmHWM). */
    private static long status(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException(key + " not in /proc/" + pid + "/status");
    }

    /**
     * CPU time the process has used (user + system, all threads), from /proc/PID/stat. On a machine shared with
     * other builds the wall-clock start-up mostly says how long the process waited for a core; its CPU time
     * does not depend on the others.
     */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15 of stat
        return ticks * 1000 / 100; // USER_HZ is 100 on Linux
    }

    /**
     * Where the CPU time to the first ping went: the runtime's threads by name (/proc/PID/task/TID/comm; pools
     * summed by their name without the number), the largest first, in ms.
     */
    private static String cpuByThread(long pid) throws IOException {
        Map<String, Long> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+$", "#");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(comm, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return String.join(", ", byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
