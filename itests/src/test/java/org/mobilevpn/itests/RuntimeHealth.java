package org.mobilevpn.itests;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** What is not running in a framework: bundles not active, DS components not satisfied, and why. */
final class RuntimeHealth {

    private final BundleContext context;

    RuntimeHealth(BundleContext context) {
        this.context = context;
    }

    List<String> inactiveBundles() {
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != expected) {
                problems.add(bundle.getSymbolicName() + " [" + bundle.getBundleId() + "] state " + bundle.getState()
                        + " (expected " + expected + ")");
            }
        }
        return problems;
    }

    List<String> unsatisfiedComponents() {
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
        if (reference == null) {
            return List.of("no ServiceComponentRuntime: SCR is not running");
        }
        ServiceComponentRuntime scr = context.getService(reference);
        try {
            List<String> problems = new ArrayList<>();
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                if (!scr.isComponentEnabled(description)) {
                    problems.add(description.name + " (bundle " + description.bundle.symbolicName + ") is disabled");
                    continue;
                }
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state != ComponentConfigurationDTO.ACTIVE
                            && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                        problems.add(description.name + " (bundle " + description.bundle.symbolicName + ") "
                                + describe(description, configuration));
                    }
                }
            }
            return problems;
        } finally {
            context.ungetService(reference);
        }
    }

    /** Problems of both kinds once the framework has settled, waiting at most {@code millis}. */
    List<String> awaitSettled(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        List<String> problems;
        do {
            problems = new ArrayList<>(inactiveBundles());
            problems.addAll(unsatisfiedComponents());
            if (problems.isEmpty()) {
                return problems;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return problems;
    }

    private static String describe(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        switch (configuration.state) {
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                List<String> references = new ArrayList<>();
                for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
                    references.add(reference.name + " (" + interfaceOf(description, reference.name) + (reference.target == null ? "" : " " + reference.target) + ")");
                }
                return "has unsatisfied reference(s): " + String.join(", ", references);
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "waits for its configuration";
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "failed to activate: " + configuration.failure;
            default:
                return "is in state " + configuration.state;
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
