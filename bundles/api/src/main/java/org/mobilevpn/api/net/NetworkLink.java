package org.mobilevpn.api.net;

import java.util.Objects;

/**
 * A network interface as the kernel reports it (rtnetlink {@code RTM_NEWLINK}, rtnetlink(7)).
 *
 * @param index    the kernel's interface index
 * @param name     the interface name, e.g. {@code eth0}
 * @param up       administratively up ({@code IFF_UP})
 * @param lowerUp  the link has carrier ({@code IFF_LOWER_UP}): a cable plugged in, a radio associated
 * @param loopback the loopback interface ({@code IFF_LOOPBACK})
 */
public record NetworkLink(int index, String name, boolean up, boolean lowerUp, boolean loopback) {

    public NetworkLink {
        Objects.requireNonNull(name, "name");
    }

    /** Whether the link can carry traffic toward a gateway: up, with carrier, and not the loopback. */
    public boolean usable() {
        return up && lowerUp && !loopback;
    }
}
