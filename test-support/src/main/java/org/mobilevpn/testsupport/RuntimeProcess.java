package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The mobilevpn runtime as a real process: a private copy of the built distribution
 * (runtime/target/mobilevpn), started with {@code bin/mobilevpn --daemon} inside a {@link Netns},
 * driven with Gogo commands over its control socket (data/run/control.sock — the same channel
 * {@code bin/mobilevpn exec} uses: request = command line, answer = status byte '0'/'1' + output).
 *
 * <pre>{@code
 * RuntimeProcess runtime = ctx.register(RuntimeProcess.start(ctx.netns("client"), ctx.outputDir("runtime")));
 * runtime.awaitHealthy(Duration.ofSeconds(60));
 * String bundles = runtime.execChecked("lb");
 * }</pre>
 */
public final class RuntimeProcess implements AutoCloseable {

    /** System property naming the built distribution; the default is runtime/target/mobilevpn of this checkout. */
    public static final String DISTRIBUTION_PROPERTY = "mobilevpn.dist";
    /** The entry {@link #redeploy} adds to a bundle to make a distinguishable new build of it. */
    public static final String BUILD_MARKER = "META-INF/mobilevpn-test-build";

    private final Netns netns;
    private final Path home;
    private NsProcess process;

    private RuntimeProcess(Netns netns, Path home) {
        this.netns = netns;
        this.home = home;
    }

    /** What a Gogo command printed, and whether it succeeded. */
    public record Reply(boolean ok, String output) {
    }

    /**
     * Copies the built distribution and starts it. The copy lives in a short temporary directory (a
     * control socket path must fit 108 bytes; test output paths do not), linked from
     * {@code workDir/mobilevpn}, and is removed by {@link #close()}.
     */
    public static RuntimeProcess start(Netns netns, Path workDir) {
        return start(netns, workDir, Map.of());
    }

    /**
     * Like {@link #start(Netns, Path)}, with files written into the copy's etc/ before the process starts
     * (e.g. an autostart profile, as an installation would have it).
     *
     * @param etcFiles file name in etc/ to content
     */
    public static RuntimeProcess start(Netns netns, Path workDir, Map<String, String> etcFiles) {
        return start(netns, workDir, etcFiles, home -> { });
    }

    /**
     * Like {@link #start(Netns, Path, Map)}, with {@code prepare} given the copy's home before the process
     * starts (e.g. to leave a feature's bundles out, as a build with fewer features would).
     */
    public static RuntimeProcess start(Netns netns, Path workDir, Map<String, String> etcFiles, Consumer<Path> prepare) {
        Path home;
        try {
            home = copyDistribution(Files.createTempDirectory(Path.of("/tmp"), "mvpn-rt-"));
            Files.createDirectories(workDir);
            Files.deleteIfExists(workDir.resolve("mobilevpn"));
            Files.createSymbolicLink(workDir.resolve("mobilevpn"), home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (Map.Entry<String, String> f : etcFiles.entrySet()) {
                Files.writeString(home.resolve("etc").resolve(f.getKey()), f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        prepare.accept(home);
        RuntimeProcess runtime = new RuntimeProcess(netns, home);
        runtime.startProcess();
        return runtime;
    }

    /** A private copy of the built distribution at {@code workDir/mobilevpn}, without data/; returns its home. */
    public static Path copyDistribution(Path workDir) {
        Path home = workDir.resolve("mobilevpn");
        copyTree(builtDistribution(), home);
        return home;
    }

    /** The distribution the build produced. */
    public static Path builtDistribution() {
        String configured = System.getProperty(DISTRIBUTION_PROPERTY);
        Path dist = configured != null ? Path.of(configured) : findFromWorkingDirectory();
        if (!Files.isExecutable(dist.resolve("bin/mobilevpn"))) {
            throw new IllegalStateException("no built runtime at " + dist + " (build the runtime module first)");
        }
        return dist.toAbsolutePath().normalize();
    }

    /** Starts the copy again (after {@link #stop}), keeping its data/ as a real restart does. */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the runtime still runs as PID " + process.pid());
        }
        startProcess();
    }

    private void startProcess() {
        process = NsProcess.start(netns, "mobilevpn", Map.of(),
                List.of(home.resolve("bin/mobilevpn").toString(), "--daemon"));
    }

    public Path home() {
        return home;
    }

    public Path etc() {
        return home.resolve("etc");
    }

    public Path deploy() {
        return home.resolve("deploy");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process's console output (stdout and stderr) so far, for failure messages. */
    public String log() {
        return process.stdout() + process.stderr();
    }

    /** The process's standard error so far: where the daemon logs, one line per record. */
    public String stderr() {
        return process.stderr();
    }

    /** Runs a Gogo command in the running framework. */
    public Reply exec(String commandLine) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(home.resolve("data/run/control.sock")));
            channel.write(ByteBuffer.wrap(commandLine.getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            InputStream in = Channels.newInputStream(channel);
            int status = in.read();
            return new Reply(status == '0', new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Reply(false, "no answer on the control socket: " + e.getMessage());
        }
    }

    /** Runs a Gogo command and returns its output; fails with the output when the command failed. */
    public String execChecked(String commandLine) {
        Reply reply = exec(commandLine);
        if (!reply.ok()) {
            throw new IllegalStateException("'" + commandLine + "' failed: " + reply.output());
        }
        return reply.output();
    }

    /**
     * Runs a Gogo command every 200 ms until it succeeds with output containing {@code expected}.
     *
     * @return that output
     * @throws AssertionError naming the command and its last output when {@code timeout} passes first
     */
    public String awaitOutput(String commandLine, String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Reply reply = exec(commandLine);
            last = reply.output();
            if (reply.ok() && last.contains(expected)) {
                return last;
            }
            sleep(200);
        }
        throw new AssertionError("'" + commandLine + "' never showed '" + expected + "':\n" + last);
    }

    /**
     * Waits until {@code vpn:status connection} shows {@code state} on its state line ({@code state  CONNECTED}); a
     * mere mention elsewhere, such as the degradations line's "times CONNECTED turned DEGRADED", does not count.
     *
     * @return the status that showed it
     */
    public String awaitState(String connection, String state, Duration timeout) {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("(?m)^\\s*state\\s+"
                + java.util.regex.Pattern.quote(state) + "(\\s|$)");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Reply reply = exec("vpn:status " + connection);
            last = reply.output();
            if (reply.ok() && line.matcher(last).find()) {
                return last;
            }
            sleep(200);
        }
        throw new AssertionError("'vpn:status " + connection + "' never showed state " + state + ":\n" + last);
    }

    /**
     * Waits until {@code vpn:health} reports every bundle active and every component satisfied.
     *
     * @return how long it took from this call
     */
    public Duration awaitHealthy(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the runtime exited (" + process.waitFor(Duration.ZERO)
                        + ") before it was healthy:\n" + log());
            }
            last = exec("vpn:health");
            if (last.ok()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            sleep(100);
        }
        throw new IllegalStateException("not healthy after " + timeout + ": " + (last == null ? "-" : last.output())
                + "\nruntime output:\n" + log());
    }

    /**
     * Sends SIGTERM and waits for the exit, SIGKILL after {@code grace}.
     *
     * @return the exit status
     */
    public int stop(Duration grace) {
        return process.stop("TERM", grace);
    }

    /** SIGKILL, as a crash: nothing of the runtime's own cleanup runs. Waits for the exit. */
    public void kill() {
        process.stop("KILL", Duration.ofSeconds(10));
    }

    /** The id of the installed bundle with this symbolic name, as {@code lb -s} lists it. */
    public String bundleId(String symbolicName) {
        String list = execChecked("lb -s");
        Matcher row = Pattern.compile("(?m)^\\s*(\\d+)\\|.*\\|" + Pattern.quote(symbolicName) + " ").matcher(list);
        if (!row.find()) {
            throw new AssertionError(symbolicName + " is not installed:\n" + list);
        }
        return row.group(1);
    }

    /**
     * Deploys a new build of one of our bundles the way an operator does: a copy of its jar in deploy/ with
     * one more entry ({@value #BUILD_MARKER}), renamed over the old jar. Returns once the framework serves
     * the marker from the same bundle id, that is, once FileInstall has updated the bundle in place.
     *
     * @param workDir where the new build is assembled (test output)
     */
    public void redeploy(String symbolicName, Path workDir, Duration timeout) {
        String id = bundleId(symbolicName);
        try (Stream<Path> jars = Files.list(deploy())) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith(symbolicName + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + symbolicName + "-*.jar in " + deploy()));
            Files.createDirectories(workDir);
            Path newBuild = workDir.resolve(symbolicName + "-new-build.jar");
            try (JarInputStream in = new JarInputStream(Files.newInputStream(jar));
                 JarOutputStream out = new JarOutputStream(Files.newOutputStream(newBuild), in.getManifest())) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry(BUILD_MARKER));
                out.write(("a new build of " + symbolicName).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            replaceAtomically(newBuild, jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitOutput("($.context bundle " + id + ") getEntry " + BUILD_MARKER, BUILD_MARKER, timeout);
    }

    /**
     * The Web Console login the runtime made at its first start ({@code data/webconsole.credential}, which only
     * root can read), as {@code user:password}.
     */
    public String webConsoleLogin() {
        try {
            String text = Files.readString(home().resolve("data/webconsole.credential"));
            return value(text, "username") + ":" + value(text, "password");
        } catch (IOException e) {
            throw new UncheckedIOException("no Web Console login made by the runtime", e);
        }
    }

    private static String value(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key + " = ")).map(l -> l.substring(key.length() + 3).strip())
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + key + " in the credential file"));
    }

    /** Replaces a file atomically (temporary name, then rename), as an operator's deployment should. */
    public static void replaceAtomically(Path source, Path target) {
        try {
            Path temporary = target.resolveSibling("." + target.getFileName() + ".part");
            Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
            // the mode carries over (a profile with a PSK stays 0600), the time does not (FileInstall watches it)
            Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(source));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
        if (home.getParent().getFileName().toString().startsWith("mvpn-rt-")) {
            deleteTree(home.getParent());
        }
    }

    private static Path findFromWorkingDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("runtime/target/mobilevpn");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("runtime/target/mobilevpn");
    }

    private static void copyTree(Path from, Path to) {
        try {
            deleteTree(to);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path relative = from.relativize(source);
                    if (relative.startsWith("data")) {
                        continue; // a fresh copy starts with an empty framework cache
                    }
                    Path target = to.resolve(relative.toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> old = Files.walk(root)) {
            old.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
