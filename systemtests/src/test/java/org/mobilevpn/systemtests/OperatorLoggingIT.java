package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/**
 * What an operator sees without a console: the daemon's standard error (what journald keeps, one line
 * per record), data/log/mobilevpn.log rolled at its bound, levels per bundle set in etc/ while the
 * runtime runs, and an invalid profile in vpn:list and vpn:status. The real runtime process; no gateway
 * is needed (nothing here leaves the namespace's loopback).
 */
@SystemTest(tag = "log", requires = {"java"})
class OperatorLoggingIT {
    private static final Duration START = Duration.ofSeconds(90);
    /** FileInstall polls etc/ every second; ConfigAdmin and the Log Admin follow at once: 30 s is slack for a loaded machine. */
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final String PSK = "psk-that-must-never-be-logged-7f3a";
    private static final String BROKEN = String.join("\n", "name = broken", "remote_addrs = 300.1.1.1",
            "local_id = client@vpn.test", "remote_id = gw.vpn.test", "auth = psk", "psk = " + PSK, "");

    @Test
    void anInvalidProfileNamingTheKeyIsOnStderrInTheLogFileAndInTheCommands(SystemTestContext ctx) throws InterruptedException {
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(ctx.netns("invalid"), ctx.outputDir("invalid"),
                Map.of("org.mobilevpn.profile-broken.cfg", BROKEN)));
        runtime.awaitHealthy(START);

        String list = runtime.awaitOutput("vpn:list", "INVALID", AWAIT);
        assertTrue(list.lines().anyMatch(l -> l.matches("broken\\s+INVALID\\s+no\\s+remote_addrs: '300\\.1\\.1\\.1' is not.*")),
                list);
        String status = runtime.execChecked("vpn:status broken");
        assertTrue(status.contains("INVALID (no connection until the profile is fixed)"), status);
        assertTrue(status.contains("problem  remote_addrs: '300.1.1.1' is not"), status);
        assertTrue(runtime.execChecked("vpn:status").contains("broken  INVALID"), "vpn:status lists it too");

        Predicate<String> errorLine = l -> l.contains("ERROR") && l.contains("org.mobilevpn.csp.ProfileRegistryComponent")
                && l.contains("profile broken is invalid") && l.contains("remote_addrs: '300.1.1.1'");
        String stderr = awaitText(runtime::stderr, errorLine);
        assertTrue(stderr.lines().anyMatch(l -> l.startsWith("ERROR org.mobilevpn.csp.ProfileRegistryComponent - profile broken")),
                "one line per record: LEVEL logger - message\n" + stderr);
        String file = awaitText(() -> read(logFile(runtime)), errorLine);
        assertFalse(stderr.contains(PSK) || file.contains(PSK), "the PSK is never logged");
    }

    @Test
    void aLevelSetInEtcForOneBundleTurnsItsDebugLinesOnAndOffAtRuntime(SystemTestContext ctx) throws InterruptedException {
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(ctx.netns("level"), ctx.outputDir("level")));
        runtime.awaitHealthy(START);
        String debugOfCsp = "DEBUG org.mobilevpn.csp.ProfileRegistryComponent - configuration org.mobilevpn.profile~";

        assertTrue(profileUntil(runtime, "before", false, debugOfCsp), "at the shipped level INFO there are no DEBUG lines");

        writeEtc(runtime, "org.osgi.service.log.admin.cfg", "ROOT = INFO\norg.mobilevpn.csp = DEBUG\n");
        assertTrue(profileUntil(runtime, "on", true, debugOfCsp), "DEBUG of the csp bundle appears:\n" + runtime.stderr());
        assertFalse(runtime.stderr().contains("DEBUG org.mobilevpn.policy"), "only the bundle that was named");

        writeEtc(runtime, "org.osgi.service.log.admin.cfg", "ROOT = INFO\n");
        assertTrue(profileUntil(runtime, "off", false, debugOfCsp), "DEBUG of the csp bundle disappears:\n" + runtime.stderr());
        assertTrue(read(logFile(runtime)).lines().anyMatch(l -> l.contains(" DEBUG ")
                && l.contains("org.mobilevpn.csp.ProfileRegistryComponent - configuration org.mobilevpn.profile~on")),
                "the file has what stderr has");
    }

    @Test
    void theLogFileRollsOverAtItsBound(SystemTestContext ctx) throws IOException, InterruptedException {
        String logback = Files.readString(RuntimeProcess.builtDistribution().resolve("etc/logback.xml"));
        String tiny = logback.replace("name=\"LOG_MAX_FILE_SIZE\" value=\"2MB\"", "name=\"LOG_MAX_FILE_SIZE\" value=\"4KB\"");
        assertFalse(tiny.equals(logback), "etc/logback.xml names its bound LOG_MAX_FILE_SIZE");
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(ctx.netns("roll"), ctx.outputDir("roll"),
                Map.of("logback.xml", tiny)));
        runtime.awaitHealthy(START);
        Path dir = runtime.home().resolve("data/log");

        long deadline = System.nanoTime() + AWAIT.toNanos();
        for (int i = 0; !Files.exists(dir.resolve("mobilevpn.2.log")) && System.nanoTime() < deadline; i++) {
            // each invalid profile writes an ERROR (csp) and a WARN (policy) line of about 150 bytes
            writeEtc(runtime, "org.mobilevpn.profile-roll" + i + ".cfg", BROKEN.replace("broken", "roll" + i));
            Thread.sleep(300);
        }
        List<Path> files = logFiles(dir);
        assertTrue(Files.exists(dir.resolve("mobilevpn.1.log")) && Files.exists(dir.resolve("mobilevpn.2.log")),
                "rolled twice: " + files);
        assertTrue(files.size() <= 5, "at most the current file and LOG_FILES (4) old ones: " + files);
        for (Path f : files) {
            // the bound is checked at most once a second (checkIncrement): a file may pass it by a second's lines
            assertTrue(Files.size(f) < 64 * 1024, f + " is " + Files.size(f) + " bytes");
        }
        assertTrue(read(dir.resolve("mobilevpn.1.log")).contains("profile roll"), "the rolled file holds the records");
    }

    /**
     * Writes profiles {@code NAME-0, NAME-1, ...} into etc/ until one of them is processed (its INFO or
     * ERROR line is on stderr) with ({@code debug}) or without a DEBUG line of the csp for it.
     */
    private static boolean profileUntil(RuntimeProcess runtime, String name, boolean debug, String debugPrefix)
            throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            String profile = name + (i == 0 ? "" : "-" + i);
            writeEtc(runtime, "org.mobilevpn.profile-" + profile + ".cfg", BROKEN.replace("broken", profile));
            String processed = "profile " + profile + " is invalid";
            awaitText(runtime::stderr, l -> l.contains(processed));
            boolean hasDebug = runtime.stderr().lines().anyMatch(l -> l.startsWith(debugPrefix + profile + " received"));
            if (hasDebug == debug) {
                return true;
            }
        }
        return false;
    }

    private static void writeEtc(RuntimeProcess runtime, String name, String content) {
        try {
            Path draft = Files.writeString(runtime.etc().resolve("." + name + ".part"), content);
            RuntimeProcess.replaceAtomically(draft, runtime.etc().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String awaitText(Supplier<String> text, Predicate<String> line) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = text.get();
            if (last.lines().anyMatch(line)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no such line within " + AWAIT + ":\n" + last);
    }

    private static Path logFile(RuntimeProcess runtime) {
        return runtime.home().resolve("data/log/mobilevpn.log");
    }

    private static List<Path> logFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
