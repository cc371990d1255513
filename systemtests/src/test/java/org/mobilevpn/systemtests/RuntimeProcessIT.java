package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/** The runtime as an operator runs it: a real process started with bin/mobilevpn in a namespace. */
@SystemTest(tag = "rt", requires = {"java"})
class RuntimeProcessIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration AWAIT = Duration.ofSeconds(30);

    @Test
    void startsWithEveryBundleActiveAndComponentSatisfied(SystemTestContext ctx) {
        RuntimeProcess runtime = start(ctx, "start");
        Duration toHealthy = runtime.awaitHealthy(START);
        System.out.println("runtime healthy " + toHealthy.toMillis() + " ms after start");

        String bundles = runtime.execChecked("lb");
        List<String> rows = bundles.lines().filter(l -> l.matches("\\s*\\d+\\|.*")).toList();
        assertTrue(rows.size() > 30, "expected the whole bundle set, got:\n" + bundles);
        // the web feature (start level 4) waits for the console's first request, which no one made: vpn:health
        // names those bundles; every other bundle is active (onlyTheWebConsoleAndTheMetricsListen... sends one)
        long waiting = 0;
        for (String row : rows) {
            String[] columns = row.split("\\|");
            if (columns[2].strip().equals("4")) {
                assertTrue(row.contains("|Resolved") || row.contains("|Installed"), "started before a request: " + row);
                waiting++;
            } else {
                assertTrue(row.contains("|Active"), "not active: " + row);
            }
        }
        assertTrue(waiting > 0, "no web feature in:\n" + bundles);
        String health = runtime.execChecked("vpn:health");
        assertTrue(health.contains("; " + waiting + " bundles of the web feature start on the first request"), health);
        assertTrue(bundles.contains("mobilevpn API"), bundles);
    }

    @Test
    void aConfigurationFileDroppedIntoEtcAppearsInConfigAdminWithSecretsMasked(SystemTestContext ctx) throws IOException {
        RuntimeProcess runtime = start(ctx, "config");
        runtime.awaitHealthy(START);

        Path file = runtime.etc().resolve("org.mobilevpn.profile-office.cfg");
        Path written = Files.writeString(runtime.etc().resolve("office.draft"),
                "name = office\nremote_addrs = 198.51.100.1\npsk = not-for-your-eyes\n");
        RuntimeProcess.replaceAtomically(written, file);

        String shown = runtime.awaitOutput("vpn:configs org.mobilevpn.profile", "remote_addrs", AWAIT);
        assertTrue(shown.contains("org.mobilevpn.profile~office"), shown);
        assertTrue(shown.contains("198.51.100.1"), shown);
        assertFalse(shown.contains("not-for-your-eyes"), "the PSK must be masked:\n" + shown);

        // the typed .config format of FileInstall: an Integer and a String array stay typed
        Path typed = Files.writeString(runtime.etc().resolve("lab.draft"),
                "name=\"lab\"\nkeepalive=I\"20\"\nesp_proposals=[\"aes128gcm16\",\"chacha20poly1305\"]\n");
        RuntimeProcess.replaceAtomically(typed, runtime.etc().resolve("org.mobilevpn.profile-lab.config"));
        String lab = runtime.awaitOutput("vpn:configs org.mobilevpn.profile~lab", "keepalive", AWAIT);
        assertTrue(lab.contains("[aes128gcm16, chacha20poly1305] (String[])"), lab);
        assertTrue(lab.matches("(?s).*keepalive\\s+20 \\(Integer\\).*"), lab);
    }

    @Test
    void aNewBuildCopiedIntoDeployUpdatesTheBundleWithoutARestart(SystemTestContext ctx) throws IOException {
        RuntimeProcess runtime = start(ctx, "deploy");
        runtime.awaitHealthy(START);
        long pid = runtime.pid();
        String id = runtime.bundleId("org.mobilevpn.shell");
        String before = runtime.execChecked("($.context bundle " + id + ") lastModified").trim();

        runtime.redeploy("org.mobilevpn.shell", ctx.outputDir("deploy"), AWAIT);

        assertFalse(before.equals(runtime.execChecked("($.context bundle " + id + ") lastModified").trim()), "lastModified unchanged");
        assertEquals(id, runtime.bundleId("org.mobilevpn.shell"), "updated in place, not installed again");
        runtime.awaitHealthy(START);
        assertTrue(runtime.execChecked("vpn:configs").contains("org.apache.felix.fileinstall~deploy"),
                "the updated bundle's commands work again");
        assertTrue(runtime.isAlive());
        assertEquals(pid, runtime.pid(), "no framework restart");
    }

    @Test
    void theDaemonStopsOnSigtermWithExitStatusZeroAndKeepsItsStateAcrossARestart(SystemTestContext ctx) throws IOException {
        RuntimeProcess runtime = start(ctx, "stop");
        runtime.awaitHealthy(START);
        Path written = Files.writeString(runtime.etc().resolve("keep.draft"), "name = kept\nremote_addrs = 198.51.100.7\n");
        RuntimeProcess.replaceAtomically(written, runtime.etc().resolve("org.mobilevpn.profile-kept.cfg"));
        runtime.awaitOutput("vpn:configs kept", "198.51.100.7", AWAIT);

        long start = System.nanoTime();
        int status = runtime.stop(Duration.ofSeconds(10));
        Duration stopping = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("runtime stopped " + stopping.toMillis() + " ms after SIGTERM");
        assertEquals(0, status, "exit status after SIGTERM");
        assertTrue(stopping.compareTo(Duration.ofSeconds(5)) < 0, "took " + stopping);
        assertFalse(Files.exists(runtime.home().resolve("data/run/control.sock")), "control socket removed");

        runtime.restart();
        runtime.awaitHealthy(START);
        assertTrue(runtime.execChecked("vpn:configs kept").contains("198.51.100.7"), "configuration kept in data/");
    }

    @Test
    void theControlSocketLivesInADirectoryOnlyItsOwnerCanEnter(SystemTestContext ctx) throws IOException {
        RuntimeProcess runtime = start(ctx, "perm");
        runtime.awaitHealthy(START);
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(runtime.home().resolve("data/run")));
        assertEquals("rwx------", mode);
        assertFalse(runtime.exec("no-such-command").ok(), "a failing command reports failure");
    }

    @Test
    void inTheForegroundTheGogoConsoleRunsCommandsAndTheEndOfInputStopsTheFramework(SystemTestContext ctx)
            throws Exception {
        Netns netns = ctx.netns("fg");
        Path home = RuntimeProcess.copyDistribution(ctx.outputDir("fg"));
        Path log = ctx.outputDir("fg").resolve("console.out");
        Process console = new ProcessBuilder("ip", "netns", "exec", netns.name(), home.resolve("bin/mobilevpn").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (java.io.Writer input = new java.io.OutputStreamWriter(console.getOutputStream(), StandardCharsets.UTF_8)) {
            // the command waits for readiness itself: Gogo runs it once the shell has started
            long deadline = System.nanoTime() + START.toNanos();
            while (!Files.readString(log).contains("OK:") && System.nanoTime() < deadline) {
                input.write("vpn:health\n");
                input.flush();
                Thread.sleep(1000);
            }
            assertTrue(Files.readString(log).contains("OK:"), "console output:\n" + Files.readString(log));
        } finally {
            // closing stdin ends the console, and with it the framework
            boolean exited = console.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            if (!exited) {
                console.destroyForcibly();
            }
            assertTrue(exited, "the framework did not stop at the end of input:\n" + Files.readString(log));
        }
        assertEquals(0, console.exitValue(), Files.readString(log));
    }

    @Test
    void onlyTheWebConsoleAndTheMetricsListenAndOnlyOnLoopback(SystemTestContext ctx) {
        Netns netns = ctx.netns("listen");
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(netns, ctx.outputDir("listen")));
        runtime.awaitHealthy(START);
        // TCP listeners of the whole namespace, which holds nothing but the runtime
        List<String> listeners = netns.execChecked("ss", "-Hltn").lines().stream()
                .map(l -> l.trim().split("\\s+")[3])
                .map(address -> address.replace("[::ffff:127.0.0.1]", "127.0.0.1")) // Java's IPv4-mapped form
                .sorted().toList();
        assertEquals(List.of("127.0.0.1:8080", "127.0.0.1:9477"), listeners, "listening sockets: Web Console, metrics");
        // the web feature waits for its first request (the launcher holds 8080): healthy, the waiting bundles named
        String waiting = runtime.execChecked("vpn:health");
        assertTrue(waiting.contains("bundles of the web feature start on the first request to 127.0.0.1:8080"), waiting);
        String bundles = runtime.execChecked("lb");
        assertFalse(bundles.lines().anyMatch(l -> l.contains("Active") && l.contains("Jetty")),
                "Jetty started before any request:\n" + bundles);
        String page = netns.execChecked("bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /system/console HTTP/1.0\\r\\n\\r\\n' >&3; head -1 <&3").stdout();
        assertTrue(page.startsWith("HTTP/1.1 401"), "the Web Console answers its first request and asks for a login: " + page);
        runtime.awaitHealthy(START);
        String started = runtime.execChecked("vpn:health");
        assertFalse(started.contains("first request"), "the web feature started: " + started);
    }

    private static RuntimeProcess start(SystemTestContext ctx, String name) {
        Netns netns = ctx.netns(name);
        return ctx.register(RuntimeProcess.start(netns, ctx.outputDir(name)));
    }
}
