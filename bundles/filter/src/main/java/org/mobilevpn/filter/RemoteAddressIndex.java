package org.mobilevpn.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Which rules can match a destination address, for one address family: the address space cut into
 * elementary intervals at every remote-selector boundary, each with the rules (in priority order) whose
 * remote selectors cover it. Finding the interval is a binary search; for a large IPv4 SPD a table over
 * the top 16 address bits first narrows it to the few boundaries inside that /16, so the lookup does
 * not grow with the number of rules in the common case of rules told apart by remote address. Then
 * the candidates are checked in order, usually just the first.
 */
final class RemoteAddressIndex {

    private static final CompiledRule[] NONE = new CompiledRule[0];

    /** Below this many IPv4 boundaries a plain binary search is as fast as the table. */
    static final int BUCKET_TABLE_THRESHOLD = 64;

    private final long[] boundaryHi;
    private final long[] boundaryLo;
    private final CompiledRule[][] candidates;
    /** IPv4 only: index of the first boundary whose top 16 bits are >= b, for b = 0..65536; or null. */
    private final int[] firstBoundaryOfSlash16;

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
        firstBoundaryOfSlash16 = !ipv6 && n >= BUCKET_TABLE_THRESHOLD ? slash16Table(boundaryLo) : null;
    }

    private static int[] slash16Table(long[] ipv4Boundaries) {
        int[] table = new int[65537];
        int k = 0;
        for (int bucket = 0; bucket <= 65536; bucket++) {
            while (k < ipv4Boundaries.length && (ipv4Boundaries[k] >>> 16) < bucket) {
                k++;
            }
            table[bucket] = k;
        }
        return table;
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
        if (firstBoundaryOfSlash16 != null) {
            // Boundaries of later /16s are above the address; the one before this /16 is below it.
            int bucket = (int) (lo >>> 16);
            int first = firstBoundaryOfSlash16[bucket];
            int k = firstBoundaryOfSlash16[bucket + 1] - 1;
            while (k >= first && boundaryLo[k] > lo) {
                k--;
            }
            return k < 0 ? NONE : candidates[k];
        }
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
