package org.mobilevpn.webconsole;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import org.apache.felix.inventory.Format;
import org.apache.felix.inventory.InventoryPrinter;
import org.mobilevpn.api.policy.ConnectionEventLog;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.ProvisioningCheck;
import org.mobilevpn.api.profile.VpnProfile;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The VPN in the Web Console's inventory (Status page and its support zip): state, profiles with
 * secrets redacted, problems and recent events, as TEXT and JSON ({@link InventoryReport}).
 */
@Component(service = InventoryPrinter.class, property = {
    InventoryPrinter.NAME + "=mobilevpn",
    InventoryPrinter.TITLE + "=VPN",
    InventoryPrinter.FORMAT + "=TEXT",
    InventoryPrinter.FORMAT + "=JSON"})
public final class VpnInventoryPrinter implements InventoryPrinter {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile VpnManager manager;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ProfileRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ProvisioningCheck provisioningCheck;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConnectionEventLog eventLog;

    private final Clock clock;
    private final StatusModelBuilder builder = new StatusModelBuilder(null);

    /** For DS. */
    public VpnInventoryPrinter() {
        this(Clock.systemUTC());
    }

    VpnInventoryPrinter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void print(PrintWriter out, Format format, boolean isZip) {
        java.time.Instant now = clock.instant();
        ProvisioningCheck check = provisioningCheck;
        ConnectionEventLog log = eventLog;
        StatusSnapshot s = builder.build(now, manager,
                check == null ? null : ProvisioningCache.view(check.check(), now), log == null ? null : log.recent());
        ProfileRegistry r = registry;
        List<VpnProfile> profiles = r == null ? List.of() : r.profiles();
        List<ProfileProblem> problems = r == null ? List.of() : r.problems();
        if (Format.JSON.equals(format)) {
            InventoryReport.json(s, profiles, problems, r != null, out);
        } else {
            InventoryReport.text(s, profiles, problems, r != null, out);
        }
    }
}
