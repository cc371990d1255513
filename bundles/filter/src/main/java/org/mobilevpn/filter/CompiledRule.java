package org.mobilevpn.filter;

import java.util.List;
import org.mobilevpn.api.filter.SpdRule;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * An SPD rule ready for matching. Outbound, the packet's source must lie in a local selector and its
 * destination in a remote one; inbound (a packet decrypted from the rule's Child SA, RFC 4301 §5.2) the
 * other way round.
 */
final class CompiledRule {

    final SpdRule rule;
    final int priority;
    final CompiledSelector[] local;
    final CompiledSelector[] remote;

    CompiledRule(SpdRule rule, int priority) {
        this.rule = rule;
        this.priority = priority;
        this.local = compile(rule.localSelectors());
        this.remote = compile(rule.remoteSelectors());
    }

    private static CompiledSelector[] compile(List<TrafficSelector> selectors) {
        return selectors.stream().map(CompiledSelector::new).toArray(CompiledSelector[]::new);
    }

    boolean matchesOutbound(PacketFields p) {
        return any(local, p, p.sourceHi, p.sourceLo, p.sourcePort)
                && any(remote, p, p.destinationHi, p.destinationLo, p.destinationPort);
    }

    boolean matchesInbound(PacketFields p) {
        return any(remote, p, p.sourceHi, p.sourceLo, p.sourcePort)
                && any(local, p, p.destinationHi, p.destinationLo, p.destinationPort);
    }

    private static boolean any(CompiledSelector[] selectors, PacketFields p, long hi, long lo, int port) {
        for (CompiledSelector selector : selectors) {
            if (selector.matches(p.ipv6, p.protocol, hi, lo, p.portsKnown, port)) {
                return true;
            }
        }
        return false;
    }
}
