package org.mobilevpn.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks what a system test needs from the machine: root and tools. */
public final class Environment {

    /** Where strongSwan's daemon lives on Debian. */
    public static final Path CHARON = Path.of("/usr/lib/ipsec/charon");

    private Environment() {
    }

    /** @return whether this JVM runs with effective uid 0 (read from /proc/self/status) */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return "0".equals(line.split("\\s+")[2]);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** @return whether the environment variable CI is {@code true} */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Finds a tool: special names {@code charon} and {@code tun}, else a program in PATH, /usr/sbin, /sbin.
     *
     * @param tool name
     * @return its path when present and usable
     */
    public static Optional<Path> find(String tool) {
        if ("charon".equals(tool)) {
            return Files.isExecutable(CHARON) ? Optional.of(CHARON) : Optional.empty();
        }
        if ("tun".equals(tool)) {
            Path tun = Path.of("/dev/net/tun");
            return Files.exists(tun) ? Optional.of(tun) : Optional.empty();
        }
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, tool);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Lists what is missing for a system test.
     *
     * @param tools tools needed besides {@code ip}
     * @return human-readable problems; empty when everything is there
     */
    public static List<String> missing(String... tools) {
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("needs root (network namespaces): run as root or in CI");
        }
        List<String> all = new ArrayList<>(List.of("ip"));
        all.addAll(List.of(tools));
        for (String tool : all) {
            if (find(tool).isEmpty()) {
                problems.add("missing tool '" + tool + "' (.ci/run lists the apt packages)");
            }
        }
        return problems;
    }
}
