package org.mobilevpn.api.profile;

import java.util.Objects;

/**
 * The outcome of one provisioning check.
 *
 * @param check  short name, e.g. {@code tun}, {@code cap_net_admin}, {@code service IkeEngine}
 * @param passed whether the check passed
 * @param detail what was found, and for a failure what to do about it
 */
public record ProvisioningItem(String check, boolean passed, String detail) {

    /** Rejects nulls. */
    public ProvisioningItem {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
    }

    /** One line: {@code ok    tun  /dev/net/tun opens read/write}. */
    @Override
    public String toString() {
        return (passed ? "ok    " : "FAIL  ") + check + "  " + detail;
    }
}
