package org.mobilevpn.webconsole;

import java.time.Duration;
import java.time.Instant;
import org.mobilevpn.api.profile.ProvisioningCheck;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.mobilevpn.api.profile.ProvisioningReport;

/**
 * The provisioning check result the page shows. Running the check probes the kernel (opens the TUN
 * device, reads capabilities), which a page refreshing every few seconds must not repeat each time: a
 * result is reused until it is {@code maxAge} old. Thread-safe.
 */
final class ProvisioningCache {
    private final Duration maxAge;
    private ProvisioningView last;
    private ProvisioningCheck lastCheck;

    ProvisioningCache(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** The result of {@code check} at most {@code maxAge} old at {@code now}; null without a check service. */
    synchronized ProvisioningView get(ProvisioningCheck check, Instant now) {
        if (check == null) {
            last = null;
            lastCheck = null;
            return null;
        }
        if (last == null || check != lastCheck || !now.isBefore(last.checkedAt().plus(maxAge))) {
            last = view(check.check(), now);
            lastCheck = check;
        }
        return last;
    }

    static ProvisioningView view(ProvisioningReport report, Instant checkedAt) {
        return new ProvisioningView(report.passed(), checkedAt, report.items().stream()
                .map((ProvisioningItem i) -> new ProvisioningView.Item(i.check(), i.passed(), i.detail(), i.warning())).toList());
    }
}
