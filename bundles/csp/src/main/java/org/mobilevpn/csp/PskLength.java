package org.mobilevpn.csp;

import java.util.List;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.mobilevpn.api.profile.VpnProfile;

/**
 * Warns about pre-shared keys shorter than {@value #MINIMUM} octets (characters of a text PSK). Whoever answers
 * in the gateway's place receives our AUTH payload, a PRF of the PSK over data it knows (RFC 7296 §2.15), and can
 * then guess the key offline as fast as it can compute; RFC 7296 §2.15 asks for keys with as much entropy as
 * the PRF's key. A warning, not a failure: the gateway decides the key, and the tunnel works.
 */
final class PskLength {
    static final String CHECK = "psk length";
    static final int MINIMUM = 20;

    private PskLength() {
    }

    static ProvisioningItem check(List<VpnProfile> profiles) {
        List<String> short_ = profiles.stream().filter(PskLength::hasShortPsk).map(VpnProfile::name).toList();
        if (!short_.isEmpty()) {
            return ProvisioningItem.warning(CHECK, "the pre-shared key of " + String.join(", ", short_) + " is shorter than "
                    + MINIMUM + " characters: whoever poses as the gateway can guess it offline from our AUTH payload; "
                    + "use " + MINIMUM + " or more random characters (e.g. openssl rand -base64 24)");
        }
        return new ProvisioningItem(CHECK, true, "no pre-shared key shorter than " + MINIMUM + " characters");
    }

    private static boolean hasShortPsk(VpnProfile profile) {
        SecretBytes psk = profile.ike().psk();
        if (psk == null) {
            return false;
        }
        try (psk) {
            return psk.length() < MINIMUM;
        }
    }
}
