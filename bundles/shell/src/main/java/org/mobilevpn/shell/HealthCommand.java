package org.mobilevpn.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * {@code vpn:health}: is everything that should run, running? Lists bundles that are not active
 * and DS components that are disabled or wait for a reference, naming the missing reference.
 * Fails (non-zero exit through {@code bin/mobilevpn exec}) when anything is wrong, so scripts and
 * monitoring can use it as a readiness check. A jar in deploy/ that FileInstall has not installed yet counts as
 * not running (just after start, deploy/ is installed from FileInstall's own thread, so the framework alone would
 * look complete before the VPN bundles are there). The web feature's bundles, while the launcher waits for the
 * console's first request to start them, are counted apart (not started by design).
 */
@Component(service = Object.class, property = {
    "osgi.command.scope=vpn",
    "osgi.command.function=health"
})
public class HealthCommand {
    /** Set by the launcher (WebOnFirstRequest) while it holds the web feature's port(s), which it names. */
    static final String WEB_WAITING = "mobilevpn.web.waiting";
    /** The runtime directory, set by the launcher; its deploy/ is what FileInstall installs. */
    static final String HOME = "mobilevpn.home";

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    @Activate
    public HealthCommand(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    public String health() {
        List<String> problems = new ArrayList<>();
        Bundle[] bundles = context.getBundles();
        // the launcher holds the web feature's port and starts its start level on the first request (it names the
        // port in this property meanwhile): that level's bundles are not started by design, not broken
        String webWaiting = context.getProperty(WEB_WAITING);
        int frameworkLevel = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class)
                .getStartLevel();
        int later = 0;
        String home = context.getProperty(HOME);
        if (home != null) {
            for (String jar : notInstalled(bundles, jarsIn(Path.of(home, "deploy")))) {
                problems.add("deploy/" + jar + " is not installed (FileInstall installs a new jar at its next scan; a jar that is not a bundle never)");
            }
        }
        for (Bundle bundle : bundles) {
            boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (bundle.getState() != Bundle.ACTIVE && !(fragment && bundle.getState() == Bundle.RESOLVED)) {
                // INSTALLED too: the framework resolves a bundle only when it starts or another one needs it
                if (webWaiting != null && (bundle.getState() == Bundle.RESOLVED || bundle.getState() == Bundle.INSTALLED)
                        && bundle.adapt(BundleStartLevel.class).getStartLevel() > frameworkLevel) {
                    later++;
                    continue;
                }
                problems.add("bundle " + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "] is " + state(bundle));
            }
        }
        int components = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            components++;
            if (!scr.isComponentEnabled(description)) {
                problems.add("component " + description.name + " is disabled");
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                String problem = problem(description, configuration);
                if (problem != null) {
                    problems.add("component " + description.name + " " + problem);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
        String waiting = later == 0 ? "" : "; " + later + " bundles of the web feature start on the first request to "
                + webWaiting;
        return "OK: " + (bundles.length - later) + " bundles active, " + components + " components satisfied" + waiting;
    }

    /** The jar names with no bundle installed from deploy/ (FileInstall's location is the jar's file URL). */
    static Collection<String> notInstalled(Bundle[] bundles, Collection<String> jarNames) {
        Collection<String> missing = new TreeSet<>(jarNames);
        for (Bundle bundle : bundles) {
            String location = bundle.getLocation();
            int slash = location.lastIndexOf("/deploy/");
            if (slash >= 0) {
                missing.remove(location.substring(slash + "/deploy/".length()));
            }
        }
        return missing;
    }

    private static List<String> jarsIn(Path dir) {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                jars.forEach(j -> names.add(j.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return names;
    }

    private static String problem(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        switch (configuration.state) {
            case ComponentConfigurationDTO.ACTIVE:
            case ComponentConfigurationDTO.SATISFIED:
                return null;
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                List<String> missing = new ArrayList<>();
                for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
                    missing.add(reference.name + " (" + interfaceOf(description, reference.name) + (reference.target == null ? "" : " " + reference.target) + ")");
                }
                return "waits for reference " + String.join(", ", missing);
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "waits for its configuration";
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "failed to activate: " + configuration.failure;
            default:
                return "is in state " + configuration.state;
        }
    }

    private static String state(Bundle bundle) {
        switch (bundle.getState()) {
            case Bundle.INSTALLED: return "INSTALLED (not resolved)";
            case Bundle.RESOLVED: return "RESOLVED (not started)";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            default: return "in state " + bundle.getState();
        }
    }
    private static String interfaceOf(ComponentDescriptionDTO description, String referenceName) {
        for (ReferenceDTO reference : description.references) {
            if (reference.name.equals(referenceName)) {
                return reference.interfaceName;
            }
        }
        return "?";
    }
}
