package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the harness writes logs, configs and captures: {@code target/system-tests/} of the module whose
 * tests run (Failsafe runs in the module directory), or the directory named by the system property
 * {@code mobilevpn.test.output}. Under {@link SystemTest} the extension sets a scope per test class and
 * test method, so {@link #current()} is {@code root/<TestClass>/<testMethod>/} and the logs of one test
 * never overwrite another's; each namespace created there gets a sub-directory named after it.
 */
public final class TestOutput {

    /** System property that overrides the output root. */
    public static final String PROPERTY = "mobilevpn.test.output";

    private static volatile Path scope;

    private TestOutput() {
    }

    /**
     * @return the directory of the running test ({@code root/<TestClass>/<testMethod>}), of the test
     *         class during {@code @BeforeAll}, or the root outside the extension; created if missing
     */
    public static Path current() {
        Path s = scope;
        return mkdirs(s != null ? s : root());
    }

    /**
     * Sets the scope below the root; called by {@link SystemTestExtension}.
     *
     * @param parts path elements (sanitised to safe file names); none resets to the root
     */
    static void enterScope(String... parts) {
        Path p = root();
        for (String part : parts) {
            p = p.resolve(part.replaceAll("[^A-Za-z0-9._-]", "_"));
        }
        scope = parts.length == 0 ? null : p;
    }

    /** @return the absolute output root, created if missing */
    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        Path root = configured != null ? Path.of(configured) : Path.of("target", "system-tests");
        return mkdirs(root.toAbsolutePath().normalize());
    }

    /**
     * @param first first path element below the root
     * @param more further elements
     * @return the directory {@code root()/first/more...}, created if missing
     */
    public static Path dir(String first, String... more) {
        return mkdirs(root().resolve(Path.of(first, more)));
    }

    static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * Deletes a file or directory tree if it exists.
     *
     * @param dir what to delete
     */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /**
     * Writes a text file (UTF-8), replacing it.
     *
     * @param file the file
     * @param text its new content
     * @return the file
     */
    public static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
