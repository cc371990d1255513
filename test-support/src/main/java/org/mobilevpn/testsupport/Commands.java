package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs short-lived commands to completion with a timeout and captures their output.
 * Output goes through temporary files, so a chatty command can never block on a full pipe.
 * A command that overruns its timeout is killed (it and its descendants, all started here).
 */
public final class Commands {

    /** Timeout used by the convenience overloads. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Commands() {
    }

    /**
     * Runs {@code argv} with {@link #DEFAULT_TIMEOUT}; does not check the exit code.
     *
     * @param argv program and arguments
     * @return exit code and output
     */
    public static CommandResult run(String... argv) {
        return run(DEFAULT_TIMEOUT, Map.of(), null, List.of(argv));
    }

    /**
     * Runs {@code argv} and fails unless it exits with 0.
     *
     * @param argv program and arguments
     * @return exit code and output
     * @throws CommandFailedException on a non-zero exit or a timeout
     */
    public static CommandResult check(String... argv) {
        return run(argv).check();
    }

    /**
     * Runs a command to completion.
     *
     * @param timeout how long the command may take before it is killed
     * @param env extra environment variables (added to the JVM's environment)
     * @param stdin text to feed on standard input, or null for none
     * @param argv program and arguments
     * @return exit code and output
     * @throws CommandFailedException when the command does not finish within {@code timeout}
     */
    public static CommandResult run(Duration timeout, Map<String, String> env, String stdin, List<String> argv) {
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("mvpn-cmd", ".out");
            err = Files.createTempFile("mvpn-cmd", ".err");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            if (stdin != null) {
                in = Files.createTempFile("mvpn-cmd", ".in");
                Files.writeString(in, stdin);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CommandFailedException("timed out after " + timeout + ": " + String.join(" ", argv)
                        + "\nstdout: " + read(out).strip() + "\nstderr: " + read(err).strip());
            }
            return new CommandResult(List.copyOf(argv), p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while running " + String.join(" ", argv));
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
