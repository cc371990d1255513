package org.mobilevpn.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Deploys bundles the way an operator does by hand: the jar is written atomically into {@code deploy/}
 * (temporary name, then rename) and FileInstall installs or updates it. Before that the jar it replaces
 * is copied aside; if the new bundle is not ACTIVE with every DS component satisfied (or merely waiting
 * for an optional configuration) within the bound, the previous jar is put back the same way and
 * FileInstall brings the previous bundle back (a bundle that had no predecessor is removed again). A build that
 * cannot resolve is put back by the launcher's DeployGuard already, within seconds; this notices that its jar was
 * replaced and reports the refusal instead of waiting for the bound.
 * Only bundles of {@code deploy/} are replaced; the fleet bundle itself is not (it could not watch its
 * own roll-back).
 */
final class DeployDirectory implements BundleDeployer {
    private static final long POLL_MILLIS = 250;

    private final BundleContext context;
    private final Path deployDir;
    private final Path backupDir;
    private final Supplier<ServiceComponentRuntime> scr;
    private final Duration timeout;
    private final FleetLog log;

    DeployDirectory(BundleContext context, Path deployDir, Path backupDir, Supplier<ServiceComponentRuntime> scr,
            Duration timeout, FleetLog log) {
        this.context = context;
        this.deployDir = deployDir;
        this.backupDir = backupDir;
        this.scr = scr;
        this.timeout = timeout;
        this.log = log;
    }

    @Override
    public Map<String, Object> deploy(BundleImage image) throws BundleImage.RefusedException {
        String bsn = image.symbolicName();
        if (bsn.equals(context.getBundle().getSymbolicName())) {
            throw new BundleImage.RefusedException(bsn + " is the fleet agent itself: deploy it with the runtime, not over the fleet");
        }
        try {
            Path existing = jarOf(bsn);
            Bundle installed = bundle(bsn, null);
            if (existing == null && installed != null) {
                throw new BundleImage.RefusedException(bsn + " is installed from " + installed.getLocation()
                        + ", not from deploy/: only bundles of deploy/ are deployed remotely");
            }
            Path target = existing != null ? existing : deployDir.resolve(bsn + "-" + image.version() + ".jar");
            Path backup = null;
            if (existing != null) {
                Files.createDirectories(backupDir);
                backup = backupDir.resolve(existing.getFileName());
                Files.copy(existing, backup, StandardCopyOption.REPLACE_EXISTING);
            }
            long before = installed == null ? Long.MIN_VALUE : installed.getLastModified();
            String previousVersion = installed == null ? null : installed.getVersion().toString();
            log.info("deploying " + bsn + " " + image.version() + " (sha256 " + image.sha256() + ") as " + target.getFileName());
            writeAtomically(image.bytes(), target);
            String failure = awaitUp(bsn, image.version(), before, target, stamp(target));
            if (failure == null) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("bundle", bsn);
                result.put("version", image.version());
                result.put("previous_version", previousVersion);
                result.put("state", "ACTIVE");
                result.put("file", target.getFileName().toString());
                result.put("sha256", image.sha256());
                log.info("deployed " + bsn + " " + image.version());
                return result;
            }
            log.error("deployment of " + bsn + " " + image.version() + " failed: " + failure + "; rolling back");
            throw new BundleImage.RefusedException(bsn + " " + image.version() + " did not come up within "
                    + timeout.toSeconds() + " s (" + failure + "); " + rollBack(bsn, target, backup, previousVersion));
        } catch (IOException e) {
            throw new BundleImage.RefusedException("deploy/ cannot be written: " + e.getMessage());
        }
    }

    private String rollBack(String bsn, Path target, Path backup, String previousVersion) throws IOException {
        long now = bundle(bsn, null) == null ? Long.MIN_VALUE : bundle(bsn, null).getLastModified();
        if (backup == null) {
            Files.deleteIfExists(target);
            return "rolled back: the new bundle was removed";
        }
        if (Files.mismatch(target, backup) == -1) {
            now = Long.MIN_VALUE; // the runtime's DeployGuard put it back already: FileInstall may have taken it
        } else {
            writeAtomically(Files.readAllBytes(backup), target);
        }
        String failure = awaitUp(bsn, previousVersion, now, null, null);
        return failure == null ? "rolled back to the previous jar (" + previousVersion + ", ACTIVE)"
                : "rolled back to the previous jar, which is not up either: " + failure;
    }

    /**
     * Waits until the bundle of this version, updated after {@code before}, is up twice in a row; the last reason if
     * not. With {@code file}: also gives up once that file is no longer the one written ({@code written}), which is
     * what the launcher's DeployGuard does with a build that cannot resolve: it puts the previous build back, whose
     * bundle may well be up with the same version.
     */
    private String awaitUp(String bsn, String version, long before, Path file, String written) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String reason = "FileInstall has not installed it";
        int goodPolls = 0;
        long notStartedSince = -1;
        while (System.nanoTime() < deadline) {
            Bundle b = bundle(bsn, version);
            if (b != null && (before == Long.MIN_VALUE || b.getLastModified() > before)) {
                List<String> missing = b.getState() == Bundle.INSTALLED ? missingRequirements(b) : List.of();
                if (!missing.isEmpty()) {
                    reason = "not resolved: missing requirement " + String.join(", ", missing);
                    goodPolls = 0;
                } else if (b.getState() != Bundle.ACTIVE) {
                    reason = "bundle state " + state(b);
                    if (notStartedSince < 0) {
                        notStartedSince = System.nanoTime();
                    } else if (System.nanoTime() - notStartedSince > Duration.ofSeconds(3).toNanos()) {
                        reason = why(b);
                    }
                    goodPolls = 0;
                } else {
                    String components = components(b);
                    if (components == null) {
                        if (++goodPolls >= 2) {
                            return null;
                        }
                    } else {
                        reason = components;
                        goodPolls = 0;
                    }
                }
            }
            if (file != null && !written.equals(stamp(file))) {
                return reason + "; deploy/" + file.getFileName() + " no longer holds it: the runtime put the previous build back";
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return reason;
    }

    /** Why a bundle FileInstall could not start: the framework's own words (e.g. the missing package). */
    private static String why(Bundle b) {
        try {
            b.start(Bundle.START_TRANSIENT);
            return "bundle state " + state(b);
        } catch (BundleException | IllegalStateException e) {
            String m = String.valueOf(e.getMessage());
            return "not started: " + (m.length() > 600 ? m.substring(0, 600) : m);
        }
    }

    /** The file's size and time: a rename over it changes the time. */
    private static String stamp(Path file) {
        try {
            return Files.size(file) + "@" + Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return "gone";
        }
    }

    /** The bundle's mandatory requirements nothing installed provides (the launcher's DeployGuard asks the same). */
    private List<String> missingRequirements(Bundle b) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = b.adapt(BundleRevision.class);
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        if (revision == null || wiring == null) {
            return missing;
        }
        for (Requirement r : revision.getRequirements(null)) {
            Map<String, String> d = r.getDirectives();
            if (!Namespace.RESOLUTION_OPTIONAL.equals(d.get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))
                    && Namespace.EFFECTIVE_RESOLVE.equals(d.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE, Namespace.EFFECTIVE_RESOLVE))
                    && wiring.findProviders(r).isEmpty()) {
                missing.add(r.getNamespace() + "; " + d.get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
            }
        }
        return missing;
    }

    /** Null when every enabled component is satisfied, else what is wrong. */
    private String components(Bundle b) {
        ServiceComponentRuntime runtime = scr.get();
        if (runtime == null) {
            return "no ServiceComponentRuntime";
        }
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(b)) {
            if (!runtime.isComponentEnabled(d)) {
                continue;
            }
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE:
                    case ComponentConfigurationDTO.SATISFIED:
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                        break;
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                        List<String> refs = new ArrayList<>();
                        for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                            refs.add(r.name);
                        }
                        problems.add("component " + d.name + " waits for " + String.join(", ", refs));
                        break;
                    case ComponentConfigurationDTO.FAILED_ACTIVATION:
                        problems.add("component " + d.name + " failed to activate: " + c.failure);
                        break;
                    default:
                        problems.add("component " + d.name + " in state " + c.state);
                }
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** The installed bundle of this symbolic name (and version, when given), or null. */
    private Bundle bundle(String bsn, String version) {
        Version wanted = version == null ? null : Version.parseVersion(version);
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && (wanted == null || wanted.equals(b.getVersion()))) {
                return b;
            }
        }
        return null;
    }

    /** The jar in deploy/ whose manifest names this bundle, or null. */
    private Path jarOf(String bsn) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(deployDir, "*.jar")) {
            for (Path jar : jars) {
                try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
                    Manifest mf = j.getManifest();
                    String name = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
                    if (name != null && name.split(";")[0].strip().equals(bsn)) {
                        return jar;
                    }
                } catch (IOException e) {
                    // not a jar we can read: not the one
                }
            }
        }
        return null;
    }

    /** As an operator should: a hidden temporary name FileInstall's filter ignores, then one rename. */
    private static void writeAtomically(byte[] content, Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String state(Bundle b) {
        switch (b.getState()) {
            case Bundle.INSTALLED: return "INSTALLED (not resolved)";
            case Bundle.RESOLVED: return "RESOLVED (not started)";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return String.valueOf(b.getState());
        }
    }
}
