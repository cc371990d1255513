package org.mobilevpn.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Raises the framework to its last start level (bundle/4: Jetty and the Web Console) only once every bundle of
 * deploy/ is active, so that the VPN bundles, and the autostart connection's handshake they begin, do not share
 * the start-up's CPU with the web feature. FileInstall deploys deploy/ from its own thread after the framework
 * has reached its beginning level, so start levels alone cannot order the two: this waits for the bundles.
 * A bundle of deploy/ that never starts (broken, unresolvable) delays the web feature by {@code patience} only.
 * Once deploy/ is active, a {@link Gate} may hold the raise further ({@link WebOnFirstRequest}: until the web
 * feature's first request).
 */
final class DeferredStartLevel {
    /** The framework property naming the level to raise to; absent or not above the beginning level: nothing to do. */
    static final String PROPERTY = "mobilevpn.startlevel.deferred";

    private final BundleContext context;
    private final Path deploy;
    private final int level;
    private final Duration patience;
    private final Gate gate;
    private final CountDownLatch deployed = new CountDownLatch(1);

    /** What the raise waits for once deploy/ is active, and is told when the level is reached. */
    interface Gate {
        /** Nothing to wait for. */
        Gate OPEN = new Gate() {
            @Override
            public void awaitOpening() {
            }

            @Override
            public void levelReached() {
            }
        };

        void awaitOpening() throws InterruptedException;

        /** Every bundle of the raised level has been started. */
        void levelReached();
    }

    DeferredStartLevel(BundleContext context, Path deploy, int level, Duration patience) {
        this(context, deploy, level, patience, Gate.OPEN);
    }

    DeferredStartLevel(BundleContext context, Path deploy, int level, Duration patience, Gate gate) {
        this.context = context;
        this.deploy = deploy;
        this.level = level;
        this.patience = patience;
        this.gate = gate;
    }

    /** Watches from now on (before the framework starts) and raises the level from a thread of its own. */
    void raiseOnceDeployed() {
        BundleListener listener = event -> {
            if (event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.RESOLVED) {
                checkDeployed();
            }
        };
        context.addBundleListener(listener);
        Thread raiser = new Thread(() -> {
            try {
                checkDeployed();
                if (!deployed.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println("mobilevpn: not every bundle of " + deploy + " started within "
                            + patience.toSeconds() + " s; starting start level " + level + " (the web feature) anyway");
                }
                if (anyBundleAt(level)) { // a runtime without the web feature (-Dnoweb) has nothing to wait for
                    gate.awaitOpening();
                }
                CountDownLatch reached = new CountDownLatch(1);
                context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class).setStartLevel(level,
                        event -> reached.countDown());
                reached.await(patience.toMillis(), TimeUnit.MILLISECONDS); // under load it may take long: go on
                gate.levelReached();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException e) {
                // the framework stopped before: nothing left to start
            } finally {
                try {
                    context.removeBundleListener(listener);
                } catch (IllegalStateException e) {
                    // the framework stopped: its listeners are gone with it
                }
            }
        }, "mobilevpn-startlevel");
        raiser.setDaemon(true);
        raiser.start();
    }

    private boolean anyBundleAt(int startLevel) {
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() != 0 && bundle.adapt(BundleStartLevel.class).getStartLevel() >= startLevel) {
                return true;
            }
        }
        return false;
    }

    private void checkDeployed() {
        try {
            if (allActive(context.getBundles(), jarsIn(deploy))) {
                deployed.countDown();
            }
        } catch (IOException | IllegalStateException e) {
            // deploy/ unreadable or the framework stopping: the patience timeout decides
        }
    }

    /**
     * Whether each jar name has an installed bundle from deploy/ (FileInstall's location is the jar's file URL)
     * that is active, or resolved for a fragment, which never starts.
     */
    static boolean allActive(Bundle[] bundles, List<String> jarNames) {
        for (String jar : jarNames) {
            boolean ready = false;
            for (Bundle bundle : bundles) {
                if (bundle.getLocation().endsWith("/deploy/" + jar)) {
                    boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null; // raw: not localized
                    ready = bundle.getState() == Bundle.ACTIVE || (fragment && bundle.getState() == Bundle.RESOLVED);
                    break;
                }
            }
            if (!ready) {
                return false;
            }
        }
        return true;
    }

    private static List<String> jarsIn(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            // a suffix test, not the glob "*.jar": this runs at every bundle event of start-up, and a glob compiles a
            // regular expression each time (a sampled hot spot of the start, docs/benchmarks.md session 5)
            DirectoryStream.Filter<Path> jar = j -> j.getFileName().toString().endsWith(".jar");
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, jar)) {
                jars.forEach(j -> names.add(j.getFileName().toString()));
            }
        }
        return names;
    }
}
