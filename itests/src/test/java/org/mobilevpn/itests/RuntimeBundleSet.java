package org.mobilevpn.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * The bundles of the built runtime (runtime/target/mobilevpn), with the start levels the runtime
 * gives them: bundle/N/*.jar at level N, deploy/*.jar at the last level. Reading the distribution
 * itself keeps the tests on exactly the set an operator runs.
 */
final class RuntimeBundleSet {

    static final int DEPLOY_LEVEL = 3;

    private RuntimeBundleSet() {
    }

    static Path distribution() {
        String dist = System.getProperty("mobilevpn.dist");
        if (dist == null || !Files.isDirectory(Path.of(dist, "bundle"))) {
            throw new IllegalStateException("no built runtime at " + dist + ": build the runtime module first");
        }
        return Path.of(dist);
    }

    static List<Option> options() {
        Path dist = distribution();
        List<Option> options = new ArrayList<>();
        try (DirectoryStream<Path> levels = Files.newDirectoryStream(dist.resolve("bundle"))) {
            for (Path level : levels) {
                addJars(options, level, Integer.parseInt(level.getFileName().toString()));
            }
            addJars(options, dist.resolve("deploy"), DEPLOY_LEVEL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return options;
    }

    /** Our own bundles: those deployed from deploy/. */
    static List<File> ourBundles() {
        List<File> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(distribution().resolve("deploy"), "*.jar")) {
            files.forEach(p -> jars.add(p.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jars;
    }

    private static void addJars(List<Option> options, Path dir, int startLevel) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                options.add(bundle(jar.toUri().toString()).startLevel(startLevel).start());
            }
        }
    }
}
