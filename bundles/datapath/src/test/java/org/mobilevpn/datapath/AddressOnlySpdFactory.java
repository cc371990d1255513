package org.mobilevpn.datapath;

import java.nio.ByteBuffer;
import java.util.List;
import org.mobilevpn.api.filter.SecurityPolicyDatabase;
import org.mobilevpn.api.filter.SecurityPolicyDatabaseFactory;
import org.mobilevpn.api.filter.SpdAction;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SpdRule;
import org.mobilevpn.api.filter.TrafficSelector;

/**
 * Stand-in SPD for the bench mode until the filter bundle's implementation is there: first
 * rule whose IPv4 address ranges match (protocol and ports ignored). Select the real one with
 * {@code -Dmvpn.spd.factory=CLASS}.
 */
public final class AddressOnlySpdFactory implements SecurityPolicyDatabaseFactory {
    @Override
    public SecurityPolicyDatabase compile(SpdConfiguration c) {
        SpdRule def = new SpdRule("default", c.defaultAction(), 0, List.of(TrafficSelector.ANY_IPV4),
                List.of(TrafficSelector.ANY_IPV4));
        SpdRule malformed = SpdRule.discard("malformed", List.of(TrafficSelector.ANY_IPV4), List.of(TrafficSelector.ANY_IPV4));
        return new SecurityPolicyDatabase() {
            public SpdConfiguration configuration() {
                return c;
            }

            public SpdRule lookupOutbound(ByteBuffer p) {
                if (p.remaining() < 20 || (p.get(p.position()) >> 4) != 4) {
                    return malformed;
                }
                for (SpdRule r : c.rules()) {
                    if (in(r.localSelectors(), p.getInt(p.position() + 12)) && in(r.remoteSelectors(), p.getInt(p.position() + 16))) {
                        return r;
                    }
                }
                return def;
            }

            public boolean checkInbound(int childSaId, ByteBuffer p) {
                if (p.remaining() < 20 || (p.get(p.position()) >> 4) != 4) {
                    return false;
                }
                for (SpdRule r : c.rules()) {
                    if (r.action() == SpdAction.PROTECT && r.childSaId() == childSaId
                            && in(r.remoteSelectors(), p.getInt(p.position() + 12))
                            && in(r.localSelectors(), p.getInt(p.position() + 16))) {
                        return true;
                    }
                }
                return false;
            }

            public SpdRule defaultRule() {
                return def;
            }

            public SpdRule malformedRule() {
                return malformed;
            }
        };
    }

    private static boolean in(List<TrafficSelector> selectors, int address) {
        for (TrafficSelector s : selectors) {
            if (s.isIpv6()) {
                continue;
            }
            int lo = ByteBuffer.wrap(s.startAddress().getAddress()).getInt();
            int hi = ByteBuffer.wrap(s.endAddress().getAddress()).getInt();
            if (Integer.compareUnsigned(address, lo) >= 0 && Integer.compareUnsigned(address, hi) <= 0) {
                return true;
            }
        }
        return false;
    }

}
