package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.LoggerFactory;

/**
 * {@link DeployGuard} in a real Felix framework, with the test doing what FileInstall does for a jar renamed over
 * the one it deployed (stop transiently, update from the file, refresh, start): an unresolvable build is refused
 * and the kept previous build is put back into deploy/; a build that resolves is taken and kept.
 */
class DeployGuardTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;
    private Path deploy;
    private Path store;
    private Framework framework;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DeployGuard.class);

    @BeforeEach
    void start() throws Exception {
        deploy = Files.createDirectories(dir.resolve("deploy"));
        store = dir.resolve("data/deployguard");
        log.start();
        logger.addAppender(log);
        framework = new org.apache.felix.framework.FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.init();
        new DeployGuard(framework.getBundleContext(), deploy, store).watch();
        framework.start();
        Path api = jar(dir.resolve("api.jar"), "test.api", "1.0.0", Constants.EXPORT_PACKAGE, "test.api;version=\"1.0.0\"");
        try (InputStream in = Files.newInputStream(api)) {
            framework.getBundleContext().installBundle("mobilevpn:bundle/2/api.jar", in).start();
        }
    }

    @AfterEach
    void stop() throws Exception {
        logger.detachAppender(log);
        framework.stop();
        framework.waitForStop(10_000);
    }

    @Test
    void anUnresolvableBuildOverTheRunningOneIsRefusedAndThePreviousBuildPutBack() throws Exception {
        Path jar = deploy.resolve("consumer.jar");
        byte[] running = Files.readAllBytes(consumer(jar, "1.0.0", "[1,2)"));
        Bundle bundle = install(jar);
        Path kept = store.resolve("good/consumer.jar");
        await(() -> Files.isRegularFile(kept), "a copy of the running build is kept");
        assertArrayEquals(running, Files.readAllBytes(kept));

        replace(jar, consumer(dir.resolve("incompatible.jar"), "9.0.0", "[9,10)"));
        assertThrows(BundleException.class, () -> updateAsFileInstall(bundle, jar), "the new build cannot start");
        await(() -> Files.exists(store.resolve("refused/consumer.jar")), "the refused jar is kept aside");
        await(() -> Arrays.equals(running, read(jar)), "the previous build is back in deploy/");
        assertEquals("9.0.0", version(store.resolve("refused/consumer.jar")));
        await(() -> !errors().isEmpty(), "the refusal is logged (once the jar is back)");
        String line = errorLine();
        assertTrue(line.contains("test.consumer 9.0.0") && line.contains("missing requirement")
                && line.contains("(osgi.wiring.package=test.api)(version>=9.0.0)")
                && line.contains("previous build 1.0.0 is put back"), line);

        // FileInstall sees the restored file and updates the bundle to it: the previous build runs again
        updateAsFileInstall(bundle, jar);
        assertEquals(Bundle.ACTIVE, bundle.getState());
        assertEquals("1.0.0", bundle.getVersion().toString());

        // a build that fits is taken as it is and becomes the kept one
        replace(jar, consumer(dir.resolve("next.jar"), "1.1.0", "[1,2)"));
        updateAsFileInstall(bundle, jar);
        await(() -> "1.1.0".equals(versionOrNull(kept)), "the new running build is kept");
        assertEquals("1.1.0", version(jar), "deploy/ keeps the build that fits");
        assertEquals(1, errors().size(), "only the refusal was an error");
    }

    @Test
    void aBuildThatFitsButWhoseStartFileInstallMissedIsStarted() throws Exception {
        Path jar = deploy.resolve("consumer.jar");
        consumer(jar, "1.0.0", "[1,2)");
        Bundle bundle = install(jar);
        replace(jar, consumer(dir.resolve("next.jar"), "1.1.0", "[1,2)"));
        // FileInstall's steps but its start, which the framework refused: nothing else would start the bundle
        bundle.stop(Bundle.STOP_TRANSIENT);
        try (InputStream in = Files.newInputStream(jar)) {
            bundle.update(in);
        }
        framework.adapt(FrameworkWiring.class).refreshBundles(List.of(bundle));
        await(() -> bundle.getState() == Bundle.ACTIVE, "the guard starts the build that fits");
        assertEquals("1.1.0", bundle.getVersion().toString());
        assertEquals(List.of(), errors());
    }

    @Test
    void withoutAKeptBuildTheRefusalIsLoggedAndDeployIsLeftAlone() throws Exception {
        Path jar = consumer(deploy.resolve("consumer.jar"), "9.0.0", "[9,10)");
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = framework.getBundleContext().installBundle(jar.toUri().toString(), in);
        }
        byte[] refused = Files.readAllBytes(jar);
        // an unresolvable bundle updated by a shell 'update': no refresh follows, the guard waits its settle time
        bundle.update(Files.newInputStream(jar));
        await(() -> !errors().isEmpty(), "the refusal is logged");
        assertTrue(errorLine().contains("no previous build of it is kept"), errorLine());
        assertArrayEquals(refused, Files.readAllBytes(jar));
        assertFalse(Files.exists(store.resolve("refused/consumer.jar")));
    }

    private Path consumer(Path jar, String version, String apiRange) throws IOException {
        return jar(jar, "test.consumer", version, Constants.IMPORT_PACKAGE, "test.api;version=\"" + apiRange + "\"");
    }

    private Bundle install(Path jar) throws Exception {
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = framework.getBundleContext().installBundle(jar.toUri().toString(), in);
        }
        bundle.start();
        return bundle;
    }

    /** FileInstall's steps for a modified jar: stop transiently, update from the file, refresh, start. */
    private void updateAsFileInstall(Bundle bundle, Path jar) throws Exception {
        bundle.stop(Bundle.STOP_TRANSIENT);
        try (InputStream in = Files.newInputStream(jar)) {
            bundle.update(in);
        }
        CountDownLatch refreshed = new CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertTrue(refreshed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        startAsFileInstall(bundle);
    }

    /**
     * Starts the bundle once, as FileInstall does after its refresh: a start Felix refuses (e.g. "Unable to acquire
     * global lock for resolve" while the guard's thread resolves the bundle) is logged by FileInstall and not tried
     * again until deploy/ changes; the guard must see that the bundle runs.
     */
    private static void startAsFileInstall(Bundle bundle) throws Exception {
        try {
            bundle.start();
        } catch (org.osgi.framework.BundleException e) {
            if (!String.valueOf(e.getMessage()).contains("global lock")) {
                throw e;
            }
        }
        await(() -> bundle.getState() == Bundle.ACTIVE, bundle + " runs");
    }

    private static void replace(Path target, Path source) throws IOException {
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(part, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private List<String> errors() {
        return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private String errorLine() {
        List<String> errors = errors();
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(done.getAsBoolean(), what);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String version(Path jar) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            return in.getManifest().getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        }
    }

    private static String versionOrNull(Path jar) {
        try {
            return Files.isRegularFile(jar) ? version(jar) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Path jar(Path jar, String symbolicName, String version, String header, String value) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, version);
        main.putValue(header, value);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        return jar;
    }
}
