package org.mobilevpn.api.filter;

import java.util.List;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * Split tunnelling from the profile (keys split_include, split_exclude, kill_switch).
 *
 * @param include    remote destinations that go through the tunnel; empty means everything the Child
 *                   SA's remote selectors cover
 * @param exclude    remote destinations that never go through the tunnel (checked first)
 * @param killSwitch true: anything not tunnelled and not excluded is dropped; false: it bypasses
 */
public record SplitTunnelPolicy(List<TrafficSelector> include, List<TrafficSelector> exclude, boolean killSwitch) {

    /** Everything through the tunnel, nothing excluded, no kill switch. */
    public static final SplitTunnelPolicy FULL_TUNNEL = new SplitTunnelPolicy(List.of(), List.of(), false);

    /** Copies the lists. */
    public SplitTunnelPolicy {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }
}
