package org.mobilevpn.api.net;

import java.util.Objects;

/**
 * An address on a link (rtnetlink {@code RTM_NEWADDR}).
 *
 * @param linkIndex the interface it is on ({@link NetworkLink#index()})
 * @param address   the local address with its prefix length, e.g. {@code 100.64.0.2/24}
 * @param global    of global scope ({@code RT_SCOPE_UNIVERSE}): not link-local, not host-local
 * @param usable    neither tentative (duplicate address detection still running) nor failed DAD nor
 *                  deprecated: a source address for new traffic
 */
public record LinkAddress(int linkIndex, IpPrefix address, boolean global, boolean usable) {

    public LinkAddress {
        Objects.requireNonNull(address, "address");
    }
}
