package org.mobilevpn.api.profile;

import java.util.List;

/**
 * The result of a {@link ProvisioningCheck}: one item per check, in the order they ran.
 *
 * @param items the checks
 */
public record ProvisioningReport(List<ProvisioningItem> items) {

    /** Copies the items. */
    public ProvisioningReport {
        items = List.copyOf(items);
    }

    /** True when every check passed. */
    public boolean passed() {
        return items.stream().allMatch(ProvisioningItem::passed);
    }

    /** One line per check. */
    public List<String> lines() {
        return items.stream().map(ProvisioningItem::toString).toList();
    }

    /** The lines, joined by newlines. */
    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
