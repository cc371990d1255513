package org.mobilevpn.policy;

import java.util.List;
import org.mobilevpn.api.ike.TrafficSelector;

/**
 * The IKE engine and the filter each have their own traffic selector type (RFC 7296 §3.13.1 as
 * negotiated, RFC 4301 §4.4.1 as enforced); both carry the same five values.
 */
final class SelectorConversion {
    private SelectorConversion() {
    }

    static org.mobilevpn.api.filter.TrafficSelector toFilter(TrafficSelector ts) {
        return new org.mobilevpn.api.filter.TrafficSelector(ts.ipProtocol(), ts.startAddress(), ts.endAddress(),
                ts.startPort(), ts.endPort());
    }

    static List<org.mobilevpn.api.filter.TrafficSelector> toFilter(List<TrafficSelector> list) {
        return list.stream().map(SelectorConversion::toFilter).toList();
    }
}
