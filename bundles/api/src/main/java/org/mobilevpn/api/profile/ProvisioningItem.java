package org.mobilevpn.api.profile;

import java.util.Objects;

/**
 * The outcome of one provisioning check.
 *
 * @param check   short name, e.g. {@code tun}, {@code cap_net_admin}, {@code service IkeEngine}
 * @param passed  whether the check passed
 * @param detail  what was found, and for a failure or a warning what to do about it
 * @param warning a check that passed but found something the operator should change (e.g. a short PSK):
 *                nothing stops a tunnel because of it
 */
public record ProvisioningItem(String check, boolean passed, String detail, boolean warning) {

    /** Rejects nulls; a failed check is not also a warning. */
    public ProvisioningItem {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
        if (warning && !passed) {
            throw new IllegalArgumentException("a failed check is a failure, not a warning");
        }
    }

    /** A check that passed or failed, without a warning. */
    public ProvisioningItem(String check, boolean passed, String detail) {
        this(check, passed, detail, false);
    }

    /** A check that passed with a warning. */
    public static ProvisioningItem warning(String check, String detail) {
        return new ProvisioningItem(check, true, detail, true);
    }

    /** {@code ok}, {@code WARN} or {@code FAIL}. */
    public String result() {
        return !passed ? "FAIL" : warning ? "WARN" : "ok";
    }

    /** One line: {@code ok    tun  /dev/net/tun opens read/write}. */
    @Override
    public String toString() {
        return String.format("%-6s", result()) + check + "  " + detail;
    }
}
