package org.mobilevpn.api.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * An ordered SPD: the first matching rule decides (RFC 4301 §4.4.1); a packet no rule matches gets
 * the default action (RFC 4301 says DISCARD).
 *
 * @param rules          in priority order
 * @param defaultAction  for packets no rule matches; PROTECT is not allowed here
 * @param inboundChecks  PROTECT rules naming each Child SA's negotiated selectors (TSi as local, TSr as remote):
 *                       what a packet decrypted from that SA must match (RFC 4301 §5.2 step 4), whatever the
 *                       outbound rules send into it (a profile's {@code split_include} may be wider or narrower
 *                       than what the gateway agreed). A Child SA without one here is checked against its PROTECT
 *                       rules in {@code rules}.
 */
public record SpdConfiguration(List<SpdRule> rules, SpdAction defaultAction, List<SpdRule> inboundChecks) {

    /** Copies the lists; inbound checks must be PROTECT rules. */
    public SpdConfiguration {
        rules = List.copyOf(rules);
        inboundChecks = List.copyOf(inboundChecks);
        Objects.requireNonNull(defaultAction, "defaultAction");
        if (defaultAction == SpdAction.PROTECT) {
            throw new IllegalArgumentException("the default action cannot be PROTECT: it names no SA");
        }
        for (SpdRule r : inboundChecks) {
            if (r.action() != SpdAction.PROTECT) {
                throw new IllegalArgumentException("inbound check " + r.name() + " is not a PROTECT rule");
            }
        }
    }

    /** Rules and default only: decrypted packets are checked against the PROTECT rules. */
    public SpdConfiguration(List<SpdRule> rules, SpdAction defaultAction) {
        this(rules, defaultAction, List.of());
    }

    /** Nothing configured: every packet is dropped. */
    public static final SpdConfiguration DISCARD_ALL = new SpdConfiguration(List.of(), SpdAction.DISCARD);

    /**
     * The SPD of a remote-access client with one Child SA: excluded destinations BYPASS first, then the
     * included destinations (or, when nothing is included, the Child SA's remote selectors) PROTECT
     * through the Child SA, and everything else DISCARD with the kill switch or BYPASS without.
     *
     * @param childSaId       the Child SA
     * @param localSelectors  the Child SA's local selectors (TSi, e.g. the virtual IP)
     * @param remoteSelectors the Child SA's remote selectors (TSr)
     * @param policy          the profile's split-tunnel settings
     */
    public static SpdConfiguration remoteAccess(int childSaId, List<TrafficSelector> localSelectors,
                                                List<TrafficSelector> remoteSelectors, SplitTunnelPolicy policy) {
        List<SpdRule> rules = new ArrayList<>();
        SpdRule negotiated = SpdRule.protect("child " + childSaId, childSaId, localSelectors, remoteSelectors);
        List<TrafficSelector> anyLocal = List.of(TrafficSelector.ANY_IPV4, TrafficSelector.ANY_IPV6);
        for (TrafficSelector excluded : policy.exclude()) {
            rules.add(SpdRule.bypass("exclude " + excluded, anyLocal, List.of(excluded)));
        }
        if (policy.include().isEmpty()) {
            rules.add(negotiated);
        } else {
            // One rule per include keeps the rule list ordered like the profile; the gateway still
            // enforces its own selectors, so an include wider than TSr only loses packets there.
            for (TrafficSelector included : policy.include()) {
                rules.add(SpdRule.protect("include " + included, childSaId, localSelectors, List.of(included)));
            }
        }
        return new SpdConfiguration(rules, policy.killSwitch() ? SpdAction.DISCARD : SpdAction.BYPASS, List.of(negotiated));
    }
}
