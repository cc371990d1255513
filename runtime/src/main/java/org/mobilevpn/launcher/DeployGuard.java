package org.mobilevpn.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running build of a bundle of deploy/ when a build the framework cannot resolve (it imports a package
 * version nobody exports) is renamed over its jar. FileInstall updates such a bundle in place: it stops it, calls
 * {@code Bundle.update}, refreshes and starts it. The old revision is gone before the resolver sees the new one,
 * so nothing would run the bundle any more and the hand-over state its old revision parked (IKE SA records, the
 * policy's connections, the kept TUN device) would expire. FileInstall has no hook before an update (its artifact
 * listeners are asked only about files they do not handle yet), and the framework has none either, so this acts
 * after the update:
 * <ul>
 * <li>a copy of each bundle's jar is kept under {@code data/deployguard/good/} (one per file of deploy/, so the
 *     store is bounded) once the bundle has started from it;</li>
 * <li>when an update leaves the bundle unresolvable, the refused jar is moved aside to
 *     {@code data/deployguard/refused/}, the kept copy is renamed back over it in deploy/, and FileInstall updates
 *     the bundle to it as to any new build, within a poll (1 s): the previous build, started again, resumes the
 *     hand-over state well within its windows (vnic 10 s, policy 30 s). One ERROR line names the bundle, the
 *     refused build's version, the missing requirement and the build put back.</li>
 * </ul>
 * It lives in the launcher rather than in a bundle of deploy/ because a guard that can itself be updated could
 * not guard its own update. deploy/ keeps showing what runs: the file there is the build the bundle runs.
 */
final class DeployGuard {
    /** How long a check waits for the refresh FileInstall makes after each update (none comes after a shell update). */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    /**
     * How long a check leaves FileInstall, after its refresh, to start the updated bundle before the guard resolves
     * it: the guard's resolve holds the framework's global lock, and a start that meets it is refused ("Unable to
     * acquire global lock", Felix's deadlock avoidance) and not tried again by FileInstall until deploy/ changes.
     */
    private static final Duration FILEINSTALL_START = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(DeployGuard.class);

    private final BundleContext context;
    private final Path deploy;
    private final Path good;
    private final Path refused;
    private final Object refreshed = new Object();
    private long refreshes;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mobilevpn-deployguard");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param deploy the directory FileInstall deploys from
     * @param store where the kept and refused builds go ({@code data/deployguard})
     */
    DeployGuard(BundleContext context, Path deploy, Path store) {
        this.context = context;
        this.deploy = deploy.toAbsolutePath().normalize();
        this.good = store.resolve("good");
        this.refused = store.resolve("refused");
    }

    /** Watches from now on: call before the framework starts, so that the first start of each bundle is seen. */
    void watch() {
        context.addFrameworkListener(this::frameworkEvent);
        context.addBundleListener((BundleListener) this::bundleEvent);
    }

    private void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
            synchronized (refreshed) {
                refreshes++;
                refreshed.notifyAll();
            }
        } else if (event.getType() == FrameworkEvent.STOPPED) {
            worker.shutdownNow();
        }
    }

    private void bundleEvent(BundleEvent event) {
        Bundle bundle = event.getBundle();
        Path jar = deployedJar(bundle);
        if (jar == null) {
            return;
        }
        // bundle and framework events come in order from one dispatcher: a refresh counted after this is after the update
        long seen;
        synchronized (refreshed) {
            seen = refreshes;
        }
        Runnable task;
        switch (event.getType()) {
            case BundleEvent.STARTED:
                task = () -> keep(bundle, jar);
                break;
            case BundleEvent.UPDATED:
                task = () -> check(bundle, jar, seen);
                break;
            case BundleEvent.UNINSTALLED:
                task = () -> forget(jar);
                break;
            default:
                return;
        }
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("deploy/" + jar.getFileName() + ": " + e, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the framework is stopping
        }
    }

    /** The jar of deploy/ a bundle was installed from (FileInstall's location is its file URL), or null. */
    Path deployedJar(Bundle bundle) {
        String location = bundle.getLocation();
        if (!location.startsWith("file:")) {
            return null;
        }
        try {
            Path file = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return deploy.equals(file.getParent()) ? file : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Keeps a copy of the jar a bundle started from, unless the kept copy is that file already. */
    void keep(Bundle bundle, Path jar) {
        if (bundle.getState() != Bundle.ACTIVE) {
            return;
        }
        Path copy = good.resolve(jar.getFileName());
        try {
            FileTime modified = Files.getLastModifiedTime(jar);
            long size = Files.size(jar);
            if (Files.isRegularFile(copy) && Files.size(copy) == size && Files.getLastModifiedTime(copy).equals(modified)) {
                return;
            }
            Files.createDirectories(good);
            Path part = good.resolve(jar.getFileName() + ".part");
            Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
            if (!sameBuild(manifest(part), bundle.getHeaders(""))) {
                Files.delete(part); // replaced again since the bundle started: its own update comes next
                return;
            }
            Files.setLastModifiedTime(part, modified);
            Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot keep a copy of deploy/" + jar.getFileName() + " in " + good + ": " + e.getMessage()
                    + "; an update of it that cannot resolve will not be undone");
        }
    }

    private void forget(Path jar) {
        try {
            Files.deleteIfExists(good.resolve(jar.getFileName()));
        } catch (IOException e) {
            LOG.warn("cannot remove the kept copy of deploy/" + jar.getFileName() + ": " + e.getMessage());
        }
    }

    /**
     * After an update (and FileInstall's refresh): a bundle that cannot resolve gets its kept build back; one that
     * resolves but that FileInstall's start missed is started.
     */
    void check(Bundle bundle, Path jar, long refreshesBefore) {
        awaitRefreshAfter(refreshesBefore);
        awaitLeaving(bundle, Bundle.INSTALLED, FILEINSTALL_START);
        if (bundle.getState() != Bundle.INSTALLED) {
            return; // resolved or running (or uninstalled): the update went through
        }
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        if (wiring.resolveBundles(List.of(bundle))) {
            startIfMeantToRun(bundle, jar);
            return;
        }
        Dictionary<String, String> headers = bundle.getHeaders("");
        String name = bundle.getSymbolicName() + " " + headers.get(Constants.BUNDLE_VERSION);
        String why = String.join(", ", missingRequirements(bundle, wiring));
        refuse(jar, headers, "deploy/" + jar.getFileName() + ": build " + name + " refused by the resolver ("
                + (why.isEmpty() ? "its requirements do not fit together" : "missing requirement " + why) + ")");
    }

    private void refuse(Path jar, Dictionary<String, String> headers, String what) {
        Path kept = good.resolve(jar.getFileName());
        try {
            boolean inDeploy = sameBuild(manifest(jar), headers);
            if (!inDeploy && !sameFile(jar, kept)) {
                LOG.error(what + "; deploy/ holds another build already, FileInstall takes that one");
                return;
            }
            if (!Files.isRegularFile(kept)) {
                LOG.error(what + "; no previous build of it is kept, so it does not run until a build that fits is deployed");
                return;
            }
            Manifest previous = manifest(kept);
            if (sameBuild(previous, headers)) {
                LOG.error(what + "; it is the kept previous build itself, so nothing is put back");
                return;
            }
            String outcome = "";
            if (inDeploy) {
                Files.createDirectories(refused);
                Path aside = refused.resolve(jar.getFileName());
                Files.copy(jar, aside, StandardCopyOption.REPLACE_EXISTING);
                outcome = " (the refused jar is kept as " + aside + ")";
            }
            // as an operator deploys: a name FileInstall's filter ignores, then one rename over the jar; its new
            // time makes FileInstall update the bundle to it (also when the refused build came from elsewhere)
            Path part = jar.resolveSibling("." + jar.getFileName() + ".restore");
            Files.copy(kept, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.error(what + "; the previous build " + previous.getMainAttributes().getValue(Constants.BUNDLE_VERSION)
                    + " is put back into deploy/ and runs again" + outcome);
        } catch (IOException e) {
            LOG.error(what + "; the previous build cannot be put back: " + e.getMessage());
        }
    }

    /** Whether a jar is the kept copy of itself: {@link #keep} gives the copy the jar's time. */
    private static boolean sameFile(Path jar, Path kept) throws IOException {
        return Files.isRegularFile(kept) && Files.size(jar) == Files.size(kept)
                && Files.getLastModifiedTime(jar).equals(Files.getLastModifiedTime(kept));
    }

    /** The bundle's mandatory requirements no installed bundle can satisfy, as the framework writes them. */
    static List<String> missingRequirements(Bundle bundle, FrameworkWiring wiring) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return missing;
        }
        for (Requirement requirement : revision.getRequirements(null)) {
            Map<String, String> directives = requirement.getDirectives();
            boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(directives.get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
            String effective = directives.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE, Namespace.EFFECTIVE_RESOLVE);
            if (!optional && Namespace.EFFECTIVE_RESOLVE.equals(effective)
                    && wiring.findProviders(requirement).isEmpty()) {
                missing.add(requirement.getNamespace() + "; " + directives.get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
            }
        }
        return missing;
    }

    /**
     * FileInstall starts bundles persistently: one marked so, at or below the framework's start level, that is not
     * running after its update missed its start (refused while the guard resolved it, see {@link
     * #FILEINSTALL_START}), and FileInstall would not try again until deploy/ changes.
     */
    private void startIfMeantToRun(Bundle bundle, Path jar) {
        BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
        int frameworkLevel = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class)
                .getStartLevel();
        if (level == null || !level.isPersistentlyStarted() || level.getStartLevel() > frameworkLevel
                || (bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            return;
        }
        try {
            bundle.start(level.isActivationPolicyUsed() ? Bundle.START_ACTIVATION_POLICY : 0);
            LOG.info("deploy/" + jar.getFileName() + ": started " + bundle.getSymbolicName() + " " + bundle.getVersion()
                    + ", whose start after its update had not happened");
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("deploy/" + jar.getFileName() + ": " + bundle.getSymbolicName() + " " + bundle.getVersion()
                    + " resolves but does not start: " + e.getMessage());
        }
    }

    private static void awaitLeaving(Bundle bundle, int state, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (bundle.getState() == state && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitRefreshAfter(long before) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        synchronized (refreshed) {
            long left;
            while (refreshes == before && (left = deadline - System.nanoTime()) > 0) {
                try {
                    refreshed.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Whether a jar's manifest is the one the framework has for the bundle: the same build. */
    static boolean sameBuild(Manifest manifest, Dictionary<String, String> headers) {
        if (manifest == null) {
            return false;
        }
        Attributes main = manifest.getMainAttributes();
        if (main.size() != headers.size()) {
            return false;
        }
        for (Map.Entry<Object, Object> e : main.entrySet()) {
            if (!String.valueOf(e.getValue()).equals(headers.get(e.getKey().toString()))) {
                return false;
            }
        }
        return true;
    }

    private static Manifest manifest(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
            return j.getManifest();
        }
    }
}
