package org.mobilevpn.vnic;

import org.mobilevpn.api.net.LinkAddress;
import org.mobilevpn.api.net.NetworkLink;
import org.mobilevpn.api.net.NetworkRoute;
import org.mobilevpn.api.net.NetworkState;

/**
 * Whether a network state lacks something the one before had: a usable link that is gone or no longer usable, a
 * usable address that is gone or no longer usable, a route that is gone (a changed route is a route gone and a new
 * one). What went away is acted on at once; what only appeared may flap and is waited for ({@link NetworkWatcher}).
 */
final class NetworkLosses {
    private NetworkLosses() {
    }

    /** True when {@code before} had a usable link, a usable address or a route that {@code now} has not. */
    static boolean any(NetworkState before, NetworkState now) {
        if (before == null) {
            return false;
        }
        for (NetworkLink l : before.links()) {
            if (l.usable() && !now.link(l.index()).map(NetworkLink::usable).orElse(false)) {
                return true;
            }
        }
        for (LinkAddress a : before.addresses()) {
            if (a.usable() && !now.addresses().contains(a)) {
                return true;
            }
        }
        for (NetworkRoute r : before.routes()) {
            if (!now.routes().contains(r)) {
                return true;
            }
        }
        return false;
    }
}
