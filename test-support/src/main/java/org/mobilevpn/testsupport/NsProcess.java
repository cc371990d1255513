package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-running process started inside a {@link Netns} with {@code ip netns exec}, which execs the
 * command, so {@link #pid()} is the command's own PID. Standard output and error go to files under the
 * namespace's output directory. It is stopped only through its own PID: SIGTERM, then SIGKILL after a
 * grace period. {@link #close()} stops it.
 */
public final class NsProcess implements AutoCloseable {

    /** Grace period between SIGTERM and SIGKILL used by {@link #stop()} and {@link #close()}. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final String description;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private NsProcess(String description, Process process, Path stdout, Path stderr) {
        this.description = description;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code argv} in {@code ns}; output files are {@code ns.outputDir()/<logName>.out|.err}
     * (truncated if they exist).
     *
     * @param ns the namespace
     * @param logName base name of the output files, also used in messages
     * @param env extra environment variables
     * @param argv program and arguments
     * @return the running process
     */
    public static NsProcess start(Netns ns, String logName, Map<String, String> env, List<String> argv) {
        Path dir = ns.outputDir();
        Path out = dir.resolve(logName + ".out");
        Path err = dir.resolve(logName + ".err");
        ProcessBuilder pb = new ProcessBuilder(ns.inside(argv))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        try {
            NsProcess p = new NsProcess(logName + " in " + ns.name(), pb.start(), out, err);
            Janitor.track(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", argv) + " in " + ns.name(), e);
        }
    }

    /** @return the process's PID */
    public long pid() {
        return process.pid();
    }

    /** @return whether it is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the file receiving standard output */
    public Path stdoutFile() {
        return stdout;
    }

    /** @return the file receiving standard error */
    public Path stderrFile() {
        return stderr;
    }

    /** @return standard output so far */
    public String stdout() {
        return read(stdout);
    }

    /** @return standard error so far */
    public String stderr() {
        return read(stderr);
    }

    /**
     * Waits until a line of standard output or standard error matches {@code regex} (a find, not a full
     * match). Fails early when the process exits without printing it.
     *
     * @param regex pattern to look for
     * @param timeout upper bound for the wait
     * @return the first matching line
     * @throws IllegalStateException on timeout or early exit, with the output's tail
     */
    public String awaitOutput(String regex, Duration timeout) {
        return awaitLine(List.of(stdout, stderr), Pattern.compile(regex), timeout, this::isAlive, description);
    }

    /**
     * Waits until a line in {@code file} matches {@code regex}; for processes logging to their own file.
     * Fails early when the process exits first.
     *
     * @param file the log file to watch (may not exist yet)
     * @param regex pattern to look for (a find)
     * @param timeout upper bound for the wait
     * @return the first matching line
     */
    public String awaitLine(Path file, String regex, Duration timeout) {
        return awaitLine(List.of(file), Pattern.compile(regex), timeout, this::isAlive, description);
    }

    /**
     * Polls files until one holds a line matching {@code pattern}.
     *
     * @param files files to search (missing ones count as empty)
     * @param pattern what to find in a line
     * @param timeout bound
     * @param alive reports whether the writer is still alive; when it is not, one last search is made
     * @param what description for the error message
     * @return the matching line
     */
    static String awaitLine(List<Path> files, Pattern pattern, Duration timeout,
            java.util.function.BooleanSupplier alive, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean wasAlive = alive.getAsBoolean();
            for (Path f : files) {
                for (String line : read(f).split("\\R")) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return line;
                    }
                }
            }
            if (!wasAlive) {
                throw new IllegalStateException(what + " exited before printing /" + pattern + "/\n" + tails(files));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": no line matching /" + pattern + "/ within " + timeout
                        + "\n" + tails(files));
            }
            Netns.sleep(50);
        }
    }

    /**
     * Sends a signal to this process by its PID, if it is still running.
     *
     * @param signal signal name for {@code kill -s}, e.g. {@code INT}, {@code HUP}, {@code TERM}
     */
    public void signal(String signal) {
        if (process.isAlive()) {
            // the shell's built-in kill: Java can only send TERM and KILL, and procps may be absent
            Commands.run("sh", "-c", "kill -s \"$1\" \"$2\"", "sh", signal, Long.toString(process.pid()));
        }
    }

    /**
     * Waits for the process to exit.
     *
     * @param timeout bound
     * @return the exit code, or empty if it is still running
     */
    public Optional<Integer> waitFor(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(process.exitValue());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * SIGTERM, then SIGKILL after {@link #DEFAULT_GRACE}.
     *
     * @return the exit code (128+signal when killed by a signal)
     */
    public int stop() {
        return stop("TERM", DEFAULT_GRACE);
    }

    /**
     * Sends {@code signal}, waits up to {@code grace}, then SIGKILLs and waits for the exit.
     *
     * @param signal e.g. {@code TERM}, {@code INT}
     * @param grace how long to wait before SIGKILL
     * @return the exit code
     */
    public int stop(String signal, Duration grace) {
        try {
            if (process.isAlive()) {
                signal(signal);
                if (waitFor(grace).isEmpty()) {
                    process.destroyForcibly();
                }
            }
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                return -1;
            }
        } finally {
            Janitor.untrack(this);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return description + " (pid " + process.pid() + ")";
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tails(List<Path> files) {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            String text = read(f);
            sb.append("--- ").append(f).append(" (last 2000 chars)\n")
                    .append(text.substring(Math.max(0, text.length() - 2000))).append('\n');
        }
        return sb.toString();
    }
}
