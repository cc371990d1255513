package org.mobilevpn.csp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.ike.IkeEngine;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.ProvisioningCheck;
import org.mobilevpn.api.profile.ProvisioningContributor;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.mobilevpn.api.profile.ProvisioningReport;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The CSP's provisioning check: can this machine carry a tunnel? Kernel side by {@link ProvisioningProbe};
 * framework side by whether the services a connection needs are registered. Those references are
 * optional, so the check itself is always available and reports a missing service by name instead of
 * being unsatisfied. Runs once at start (immediate component) and logs the result; on request
 * ({@code vpn:check}) again.
 */
@Component(service = ProvisioningCheck.class, immediate = true)
public final class ProvisioningCheckComponent implements ProvisioningCheck {
    private final ProvisioningProbe probe;
    /** The runtime directory ({@code mobilevpn.home}); null outside the runtime, where there is nothing to check. */
    private volatile java.nio.file.Path home;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile IkeEngine ikeEngine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DataPath dataPath;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile VirtualNicFactory virtualNicFactory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ProfileRegistry profiles;

    /** Other bundles' lines (e.g. the fleet agent's broker check), listed after ours. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    final List<ProvisioningContributor> contributors = new CopyOnWriteArrayList<>();

    @Reference(service = LoggerFactory.class)
    Logger logger;

    /** For DS: the Linux paths. */
    public ProvisioningCheckComponent() {
        this(ProvisioningProbe.linux());
    }

    ProvisioningCheckComponent(ProvisioningProbe probe) {
        this.probe = probe;
    }

    /**
     * The check at start. Kernel failures are warnings: they will not go away by themselves. Services
     * that are not there yet are only noted, because bundles of deploy/ start after this one.
     */
    @Activate
    void activate(org.osgi.framework.BundleContext context) {
        String h = context.getProperty(ProfileRegistryComponent.HOME_PROPERTY);
        home = h == null ? null : java.nio.file.Path.of(h);
        ProvisioningReport report = check();
        boolean kernelOk = report.items().stream().filter(i -> !i.check().startsWith("service ")
                && !i.check().equals(SecretsAtRest.CHECK)).allMatch(ProvisioningItem::passed);
        report.items().stream().filter(i -> i.check().equals(SecretsAtRest.CHECK) && !i.passed() || i.warning())
                .forEach(i -> logger.warn(i.check() + ": " + i.detail()));
        if (!kernelOk) {
            logger.warn("provisioning check failed, no connection can come up until this is fixed:\n" + report);
        } else {
            logger.info("provisioning check at start" + (report.passed() ? " passed" : " (services may still be starting)") + ":\n" + report);
        }
    }

    @Override
    public ProvisioningReport check() {
        List<ProvisioningItem> items = new ArrayList<>();
        try {
            items.add(probe.tun());
            items.add(probe.capNetAdmin());
        } catch (RuntimeException e) {
            items.add(new ProvisioningItem("kernel", false, "cannot be checked: " + e.getClass().getSimpleName()));
        }
        java.nio.file.Path h = home;
        if (h != null) {
            items.add(SecretsAtRest.check(h));
        }
        ProfileRegistry registry = profiles;
        if (registry != null) {
            items.add(PskLength.check(registry.profiles()));
        }
        items.add(service("IkeEngine", ikeEngine, "org.mobilevpn.ike"));
        items.add(service("DataPath", dataPath, "org.mobilevpn.datapath"));
        items.add(service("VirtualNicFactory", virtualNicFactory, "org.mobilevpn.vnic"));
        for (ProvisioningContributor c : contributors) {
            try {
                items.addAll(c.provisioningItems());
            } catch (RuntimeException e) {
                items.add(new ProvisioningItem("contributor", false, "failed: " + e.getClass().getSimpleName()));
            }
        }
        return new ProvisioningReport(items);
    }

    private static ProvisioningItem service(String name, Object service, String bundle) {
        return service != null
                ? new ProvisioningItem("service " + name, true, "present")
                : new ProvisioningItem("service " + name, false, "missing: is bundle " + bundle + " active and its component satisfied?");
    }
}
