package org.mobilevpn.ike.engine;

import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * Traffic selector narrowing (RFC 7296 §2.9): the responder may narrow what we proposed but never
 * widen it, so every selector it returns must lie within one of ours.
 */
final class ChildSelectors {

    private ChildSelectors() {
    }

    static void checkNarrowed(List<TrafficSelector> offered, List<TrafficSelector> returned, String which)
            throws IkeFailureException {
        if (returned.isEmpty()) {
            throw new IkeFailureException(FailureReason.TS_UNACCEPTABLE, "gateway returned no " + which);
        }
        for (TrafficSelector r : returned) {
            if (offered.stream().noneMatch(r::isWithin)) {
                throw new IkeFailureException(FailureReason.TS_UNACCEPTABLE,
                        "gateway widened " + which + " to " + r + " (we proposed " + offered + ")");
            }
        }
    }
}
