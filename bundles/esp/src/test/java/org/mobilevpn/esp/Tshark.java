package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tshark on a capture file. Missing tshark skips the test locally and fails it in CI. */
final class Tshark {

    private final Path executable;

    private Tshark(Path executable) {
        this.executable = executable;
    }

    /** Finds tshark on the PATH: skips when absent, unless the environment says CI=true. */
    static Tshark require() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "tshark");
            if (Files.isExecutable(candidate)) {
                return new Tshark(candidate);
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("tshark is required in CI (apt package tshark) but is not on the PATH");
        }
        assumeTrue(false, "tshark not installed: independent ESP check skipped");
        throw new AssertionError("unreachable");
    }

    /** Runs {@code tshark -r capture <arguments>} and returns its standard output lines. */
    List<String> read(Path capture, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-n", "-r", capture.toString()));
        command.addAll(arguments);
        Path output = Files.createTempFile(capture.getParent(), "tshark", ".out");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(false)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("tshark did not finish: " + command);
        }
        assertEquals(0, process.exitValue(), "tshark exit status for " + command);
        return Files.readAllLines(output, StandardCharsets.UTF_8);
    }
}
