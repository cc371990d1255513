package org.mobilevpn.filter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mobilevpn.api.filter.SecurityPolicyDatabase;
import org.mobilevpn.api.filter.SpdAction;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SpdRule;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * An ordered SPD (RFC 4301 §4.4.1) compiled for the packet path: outbound lookups go through a
 * destination-address index per family, inbound checks through the Child SA's negotiated selectors
 * ({@link SpdConfiguration#inboundChecks()}; the Child SA's PROTECT rules where none are given).
 * Immutable after construction; lookups are thread-safe and allocate nothing (the parsed header fields
 * live in a per-thread holder).
 */
final class CompiledSpd implements SecurityPolicyDatabase {

    private static final List<TrafficSelector> ANY = List.of(TrafficSelector.ANY_IPV4, TrafficSelector.ANY_IPV6);

    private final SpdConfiguration configuration;
    private final SpdRule defaultRule;
    private final SpdRule malformedRule;
    private final RemoteAddressIndex ipv4;
    private final RemoteAddressIndex ipv6;
    private final int[] childSaIds;
    private final CompiledRule[][] protectRulesByChild;
    /** When Child SA ids are small and dense (the usual counter): rules indexed by id directly. */
    private final CompiledRule[][] protectRulesById;
    private final ThreadLocal<PacketFields> fields = ThreadLocal.withInitial(PacketFields::new);

    CompiledSpd(SpdConfiguration configuration) {
        this.configuration = configuration;
        this.defaultRule = new SpdRule("default", configuration.defaultAction(), 0, ANY, ANY);
        this.malformedRule = SpdRule.discard("malformed", ANY, ANY);
        List<CompiledRule> rules = new ArrayList<>();
        Map<Integer, List<CompiledRule>> byChild = new TreeMap<>();
        for (SpdRule rule : configuration.rules()) {
            CompiledRule compiled = new CompiledRule(rule, rules.size());
            rules.add(compiled);
            if (rule.action() == SpdAction.PROTECT) {
                byChild.computeIfAbsent(rule.childSaId(), id -> new ArrayList<>()).add(compiled);
            }
        }
        Map<Integer, List<CompiledRule>> negotiated = new TreeMap<>();
        for (SpdRule check : configuration.inboundChecks()) {
            negotiated.computeIfAbsent(check.childSaId(), id -> new ArrayList<>()).add(new CompiledRule(check, -1));
        }
        byChild.putAll(negotiated); // RFC 4301 §5.2: what the SA was negotiated for, not what the outbound rules send
        this.ipv4 = new RemoteAddressIndex(rules, false);
        this.ipv6 = new RemoteAddressIndex(rules, true);
        this.childSaIds = byChild.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.protectRulesByChild = byChild.values().stream()
                .map(list -> list.toArray(new CompiledRule[0])).toArray(CompiledRule[][]::new);
        this.protectRulesById = directTable(childSaIds, protectRulesByChild);
    }

    private static CompiledRule[][] directTable(int[] ids, CompiledRule[][] rules) {
        if (ids.length == 0 || ids[0] < 0 || ids[ids.length - 1] > 4 * ids.length + 1024) {
            return null;
        }
        CompiledRule[][] table = new CompiledRule[ids[ids.length - 1] + 1][];
        for (int i = 0; i < ids.length; i++) {
            table[ids[i]] = rules[i];
        }
        return table;
    }

    @Override
    public SpdConfiguration configuration() {
        return configuration;
    }

    @Override
    public SpdRule lookupOutbound(ByteBuffer packet) {
        PacketFields p = fields.get();
        if (!p.parse(packet)) {
            return malformedRule;
        }
        CompiledRule[] candidates = (p.ipv6 ? ipv6 : ipv4).candidates(p.destinationHi, p.destinationLo);
        for (CompiledRule candidate : candidates) {
            if (candidate.matchesOutbound(p)) {
                return candidate.rule;
            }
        }
        return defaultRule;
    }

    @Override
    public boolean checkInbound(int childSaId, ByteBuffer packet) {
        CompiledRule[] rules = protectRules(childSaId);
        if (rules == null) {
            return false;
        }
        PacketFields p = fields.get();
        if (!p.parse(packet)) {
            return false;
        }
        for (CompiledRule rule : rules) {
            if (rule.matchesInbound(p)) {
                return true;
            }
        }
        return false;
    }

    private CompiledRule[] protectRules(int childSaId) {
        if (protectRulesById != null) {
            return childSaId >= 0 && childSaId < protectRulesById.length ? protectRulesById[childSaId] : null;
        }
        int index = Arrays.binarySearch(childSaIds, childSaId);
        return index < 0 ? null : protectRulesByChild[index];
    }

    @Override
    public SpdRule defaultRule() {
        return defaultRule;
    }

    @Override
    public SpdRule malformedRule() {
        return malformedRule;
    }

    /** Index sizes, for diagnostics. */
    @Override
    public String toString() {
        return "CompiledSpd[" + configuration.rules().size() + " rules, " + ipv4.intervals() + " IPv4 and "
                + ipv6.intervals() + " IPv6 intervals, default " + configuration.defaultAction() + "]";
    }
}
