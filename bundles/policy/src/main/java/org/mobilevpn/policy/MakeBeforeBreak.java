package org.mobilevpn.policy;

import java.net.InetAddress;
import java.util.List;
import org.mobilevpn.api.ike.IkeSessionConfig;

/**
 * Replacing an IKE SA by a new one, made while the old one's tunnel still carries the traffic (RFC 7296 §2.8.3:
 * "the new IKE SA ... established before the old one is deleted"; strongSwan calls it make-before-break). Used when
 * the IKE SA cannot follow the device to another uplink (the gateway did not agree to MOBIKE, RFC 4555) and for
 * reauthentication ({@code reauth_time}). The connection keeps its virtual NIC, routes and kill switch rules: the new
 * IKE SA's first Child SA replaces the old one in the same tunnel, as a Child SA rekey does, and only then is the old
 * IKE SA deleted. So no packet leaves in the clear, and the device stays: with a new address only when the gateway
 * gives another one (strongSwan 5.9 hands the same lease back only to the same peer address, so after a change of
 * uplink the device gets its new virtual IP in place, {@link TunnelPlumbing#takeOver}).
 *
 * <p>The new IKE SA asks for the virtual IPs the tunnel has (RFC 7296 §3.15.1 allows a specific address in the
 * CFG_REQUEST: a gateway that pools addresses, strongSwan among them, gives the same lease back to the same identity)
 * and sends no INITIAL_CONTACT (RFC 7296 §2.4), which would tell the gateway to drop the old IKE SA before the new one
 * is in use.
 */
final class MakeBeforeBreak {
    /** Why an IKE SA is replaced. */
    enum Cause {
        /** The path to the gateway changed and the IKE SA cannot move (no MOBIKE). */
        PATH_CHANGED,
        /** {@code reauth_time} ran out: the gateway sees us authenticate again. */
        REAUTHENTICATION
    }

    private MakeBeforeBreak() {
    }

    /**
     * The configuration of the IKE SA that replaces one whose tunnel has {@code virtualIps}: those addresses asked for
     * by value (instead of 0.0.0.0 or ::), and no INITIAL_CONTACT.
     */
    static IkeSessionConfig successorConfig(IkeSessionConfig profileConfig, List<InetAddress> virtualIps) {
        IkeSessionConfig.Builder b = profileConfig.toBuilder().initialContact(false);
        if (!profileConfig.vips().isEmpty() && !virtualIps.isEmpty()) {
            b.vips(virtualIps);
        }
        return b.build();
    }
}
