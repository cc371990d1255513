package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace for one test, removed with every process in it on close. Minimal private
 * helper until the shared harness (org.mobilevpn.testsupport) is used.
 */
final class TestNamespace implements AutoCloseable {
    final String name;

    TestNamespace(String name) throws IOException {
        this.name = name;
        sh("ip", "netns", "del", name); // a leftover from a killed run
        must("ip", "netns", "add", name);
        must("ip", "-n", name, "link", "set", "lo", "up");
    }

    /** Runs {@code command} inside the namespace and returns its output; fails on a non-zero exit. */
    String exec(String... command) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(Arrays.asList(command));
        return must(c.toArray(new String[0]));
    }

    /** {@code ip -n NS ARGS} output. */
    String ip(String... args) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "-n", name));
        c.addAll(Arrays.asList(args));
        return must(c.toArray(new String[0]));
    }

    static String must(String... command) throws IOException {
        Result r = sh(command);
        if (r.exit != 0) {
            throw new IOException(String.join(" ", command) + " exited " + r.exit + ": " + r.out);
        }
        return r.out;
    }

    record Result(int exit, String out) {
    }

    static Result sh(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timeout: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), out);
    }

    @Override
    public void close() throws IOException {
        Result pids = sh("ip", "netns", "pids", name);
        for (String pid : pids.out.trim().split("\\s+")) {
            if (!pid.isEmpty()) {
                sh("kill", "-9", pid);
            }
        }
        sh("ip", "netns", "del", name);
    }
}
