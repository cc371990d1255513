package org.mobilevpn.api.filter;

import java.util.List;
import java.util.Objects;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * One SPD entry (RFC 4301 §4.4.1.2): a packet matches when its source lies in one of the local
 * selectors and its destination in one of the remote selectors (for an outbound packet; reversed for an
 * inbound one), each selector checking its protocol and its side's port.
 *
 * @param name            for logs and counters
 * @param action          PROTECT, BYPASS or DISCARD
 * @param childSaId       for PROTECT: the Child SA ({@code EspSa.childSaId()}) to use; ignored otherwise
 * @param localSelectors  our side (TSi of a client), at least one
 * @param remoteSelectors the peer's side (TSr of a client), at least one
 */
public record SpdRule(String name, SpdAction action, int childSaId,
                      List<TrafficSelector> localSelectors, List<TrafficSelector> remoteSelectors) {

    /** Copies the lists; both must be non-empty. */
    public SpdRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        localSelectors = List.copyOf(localSelectors);
        remoteSelectors = List.copyOf(remoteSelectors);
        if (localSelectors.isEmpty() || remoteSelectors.isEmpty()) {
            throw new IllegalArgumentException("SPD rule " + name + " needs local and remote selectors");
        }
    }

    /** Protect traffic between the selectors through a Child SA. */
    public static SpdRule protect(String name, int childSaId, List<TrafficSelector> local, List<TrafficSelector> remote) {
        return new SpdRule(name, SpdAction.PROTECT, childSaId, local, remote);
    }

    /** Let traffic between the selectors pass outside IPsec. */
    public static SpdRule bypass(String name, List<TrafficSelector> local, List<TrafficSelector> remote) {
        return new SpdRule(name, SpdAction.BYPASS, 0, local, remote);
    }

    /** Drop traffic between the selectors. */
    public static SpdRule discard(String name, List<TrafficSelector> local, List<TrafficSelector> remote) {
        return new SpdRule(name, SpdAction.DISCARD, 0, local, remote);
    }
}
