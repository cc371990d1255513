package org.mobilevpn.shell;

import org.mobilevpn.api.profile.ProvisioningCheck;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.mobilevpn.api.profile.ProvisioningReport;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code vpn:check}: can this machine carry a tunnel (TUN device, CAP_NET_ADMIN, engine and data path
 * services)? Prints the provisioning report as a table and fails (exit 1 through the control channel)
 * when any check fails. The check service is optional, so the command exists (and says what is missing)
 * even when the CSP bundle is not running.
 */
@Component(service = Object.class, property = {
    "osgi.command.scope=vpn",
    "osgi.command.function=check"
})
public class CheckCommand {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ProvisioningCheck provisioning;

    public CheckCommand() {
    }

    CheckCommand(ProvisioningCheck provisioning) {
        this.provisioning = provisioning;
    }

    public String check() {
        ProvisioningCheck p = provisioning;
        if (p == null) {
            throw new IllegalStateException("no ProvisioningCheck service: is the csp bundle active? (vpn:health)");
        }
        ProvisioningReport report = p.check();
        Table t = new Table("RESULT", "CHECK", "DETAIL");
        for (ProvisioningItem item : report.items()) {
            t.row(item.result(), item.check(), item.detail());
        }
        if (!report.passed()) {
            throw new IllegalStateException(t.toString().stripTrailing());
        }
        return t.toString();
    }
}
