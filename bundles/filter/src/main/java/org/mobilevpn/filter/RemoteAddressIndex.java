package org.mobilevpn.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Which rules can match a destination address, for one address family: the address space cut into
 * elementary intervals at every remote-selector boundary, each with the rules (in priority order) whose
 * remote selectors cover it. A lookup is one binary search, O(log n) in the number of rules, and then a
 * check of the candidates in order, usually just the first: the cost does not grow with the SPD in the
 * common case of rules told apart by remote address.
 */
final class RemoteAddressIndex {

    private static final CompiledRule[] NONE = new CompiledRule[0];

    private final long[] boundaryHi;
    private final long[] boundaryLo;
    private final CompiledRule[][] candidates;

    RemoteAddressIndex(List<CompiledRule> rules, boolean ipv6) {
        TreeSet<long[]> points = new TreeSet<>((a, b) -> Address128.compare(a[0], a[1], b[0], b[1]));
        for (CompiledRule rule : rules) {
            for (CompiledSelector s : rule.remote) {
                if (s.ipv6 == ipv6) {
                    points.add(new long[] {s.startHi, s.startLo});
                    if (!(s.endHi == -1L && s.endLo == -1L) && !(!ipv6 && s.endLo == 0xFFFF_FFFFL)) {
                        long lo = s.endLo + 1;
                        long hi = lo == 0 ? s.endHi + 1 : s.endHi;
                        points.add(new long[] {hi, lo});
                    }
                }
            }
        }
        int n = points.size();
        boundaryHi = new long[n];
        boundaryLo = new long[n];
        candidates = new CompiledRule[n][];
        int k = 0;
        CompiledRule[] previous = null;
        for (long[] point : points) {
            boundaryHi[k] = point[0];
            boundaryLo[k] = point[1];
            CompiledRule[] covering = covering(rules, ipv6, point[0], point[1]);
            // Neighbouring intervals often have the same candidates: share the array.
            candidates[k] = previous != null && Arrays.equals(previous, covering) ? previous : covering;
            previous = candidates[k];
            k++;
        }
    }

    private static CompiledRule[] covering(List<CompiledRule> rules, boolean ipv6, long hi, long lo) {
        List<CompiledRule> covering = new ArrayList<>();
        for (CompiledRule rule : rules) {
            for (CompiledSelector s : rule.remote) {
                if (s.ipv6 == ipv6 && Address128.compare(hi, lo, s.startHi, s.startLo) >= 0
                        && Address128.compare(hi, lo, s.endHi, s.endLo) <= 0) {
                    covering.add(rule);
                    break;
                }
            }
        }
        return covering.isEmpty() ? NONE : covering.toArray(new CompiledRule[0]);
    }

    /** Rules whose remote selectors contain the address, in priority order (never null). */
    CompiledRule[] candidates(long hi, long lo) {
        int low = 0;
        int high = boundaryHi.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Address128.compare(boundaryHi[mid], boundaryLo[mid], hi, lo) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 ? NONE : candidates[found];
    }

    /** Number of elementary intervals (for tests and diagnostics). */
    int intervals() {
        return boundaryHi.length;
    }
}
