package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/** The web feature's start level in a real Felix framework: reached only once deploy/'s bundles are active. */
class DeferredStartLevelTest {
    @TempDir
    Path dir;
    private Framework framework;

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    void theLastLevelStartsOnlyOnceEveryDeployedBundleIsActive() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path core = bundleJar(deploy.resolve("core.jar"), "test.core");
        Path web = bundleJar(dir.resolve("web.jar"), "test.web");
        framework = startedFramework();
        Bundle webBundle = framework.getBundleContext().installBundle("mobilevpn:bundle/4/web.jar", Files.newInputStream(web));
        webBundle.adapt(BundleStartLevel.class).setStartLevel(4);
        webBundle.start();

        new DeferredStartLevel(framework.getBundleContext(), deploy, 4, Duration.ofSeconds(30)).raiseOnceDeployed();
        Thread.sleep(300); // a chance to go wrong: nothing of deploy/ is installed yet
        assertEquals(3, startLevel(), "raised before deploy/ was active");
        assertTrue(webBundle.getState() != Bundle.ACTIVE, "the web bundle started before deploy/ was active");

        // what FileInstall does: install at the file's URL, start
        Bundle coreBundle = framework.getBundleContext().installBundle(core.toFile().toURI().toString(),
                Files.newInputStream(core));
        coreBundle.start();
        awaitActive(webBundle);
        assertEquals(4, startLevel());
    }

    @Test
    void aDeployedBundleThatNeverStartsDelaysTheLastLevelByThePatienceOnly() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        bundleJar(deploy.resolve("never-installed.jar"), "test.never");
        framework = startedFramework();
        new DeferredStartLevel(framework.getBundleContext(), deploy, 4, Duration.ofMillis(500)).raiseOnceDeployed();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (startLevel() != 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(4, startLevel());
    }

    @Test
    void theGateHoldsTheLastLevelUntilItOpensAndIsToldWhenTheLevelIsReached() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        framework = startedFramework();
        Bundle webBundle = framework.getBundleContext().installBundle("mobilevpn:bundle/4/web.jar",
                Files.newInputStream(bundleJar(dir.resolve("web.jar"), "test.web")));
        webBundle.adapt(BundleStartLevel.class).setStartLevel(4);
        webBundle.start();
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        CountDownLatch reached = new CountDownLatch(1);
        int[] levelWhenReached = new int[1];
        DeferredStartLevel.Gate gate = new DeferredStartLevel.Gate() {
            @Override
            public void awaitOpening() throws InterruptedException {
                opening.countDown();
                open.await();
            }

            @Override
            public void levelReached() {
                levelWhenReached[0] = startLevel();
                reached.countDown();
            }
        };
        new DeferredStartLevel(framework.getBundleContext(), deploy, 4, Duration.ofSeconds(30), gate).raiseOnceDeployed();
        assertTrue(opening.await(10, TimeUnit.SECONDS), "the gate was not asked once deploy/ (empty) was active");
        Thread.sleep(300); // a chance to go wrong
        assertEquals(3, startLevel(), "raised while the gate was closed");
        open.countDown();
        assertTrue(reached.await(10, TimeUnit.SECONDS));
        assertEquals(4, levelWhenReached[0]);
        assertEquals(Bundle.ACTIVE, webBundle.getState(), "told before the level's bundles started");
    }

    @Test
    void withoutBundlesAtTheLastLevelTheGateIsNotAsked() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        framework = startedFramework();
        CountDownLatch asked = new CountDownLatch(1);
        DeferredStartLevel.Gate gate = new DeferredStartLevel.Gate() {
            @Override
            public void awaitOpening() throws InterruptedException {
                asked.countDown();
                new CountDownLatch(1).await(); // a port held forever: what a -Dnoweb runtime must not do
            }

            @Override
            public void levelReached() {
            }
        };
        new DeferredStartLevel(framework.getBundleContext(), deploy, 4, Duration.ofSeconds(30), gate).raiseOnceDeployed();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (startLevel() != 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(4, startLevel());
        assertEquals(1, asked.getCount(), "the gate was asked though no bundle waits for the level");
    }

    private int startLevel() {
        return framework.adapt(FrameworkStartLevel.class).getStartLevel();
    }

    private Framework startedFramework() throws Exception {
        Framework f = new org.apache.felix.framework.FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "3",
                "felix.startlevel.bundle", "3"));
        f.init();
        f.start();
        return f;
    }

    private static void awaitActive(Bundle bundle) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (bundle.getState() != Bundle.ACTIVE && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(bundle.getState() == Bundle.ACTIVE, "the web bundle did not start");
    }

    private static Path bundleJar(Path jar, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        return jar;
    }
}
