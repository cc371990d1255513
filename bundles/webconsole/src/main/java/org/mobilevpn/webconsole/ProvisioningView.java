package org.mobilevpn.webconsole;

import java.time.Instant;
import java.util.List;

/**
 * The result of the last provisioning check (can this machine carry a tunnel?).
 *
 * @param passed    every check passed
 * @param checkedAt when the checks ran
 * @param items     one line per check
 */
record ProvisioningView(boolean passed, Instant checkedAt, List<Item> items) {

    ProvisioningView {
        items = List.copyOf(items);
    }

    /** One check: its short name, whether it passed (with a warning), and what was found. */
    record Item(String check, boolean passed, String detail, boolean warning) {
    }
}
