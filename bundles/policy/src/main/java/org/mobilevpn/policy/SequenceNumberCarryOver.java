package org.mobilevpn.policy;

import java.util.HashMap;
import java.util.Map;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;

/**
 * Carries the progress of live SAs from a stopped data path tunnel to its successor, so a swap of the
 * data path bundle continues the same SAs instead of renegotiating them (DESIGN.md "state is data").
 *
 * <p>Outbound, a sequence number must never be used twice for an SA (RFC 4303 §3.3.3), and with AES-GCM
 * and ChaCha20-Poly1305 it is the per-packet IV (RFC 4106 §3.1, RFC 7634 §2): a successor starting at 1
 * would reuse nonces under the same key, and the gateway's replay window would drop its packets. So an
 * outbound SA that the old tunnel did not report is refused, not guessed. Inbound, the highest accepted
 * number becomes the successor's replay window edge (RFC 4303 §3.4.3).
 */
final class SequenceNumberCarryOver {

    private record Key(int spi, SaDirection direction) {
    }

    private final Map<Key, Long> last = new HashMap<>();

    /** From the final counters of a closed tunnel (see {@code DataPathTunnel#close()}). */
    SequenceNumberCarryOver(DataPathCounters finalCounters) {
        for (SaCounters sa : finalCounters.sas()) {
            last.merge(new Key(sa.spi(), sa.direction()), sa.sequenceNumber(), Math::max);
        }
    }

    /**
     * The SA as the successor tunnel must install it. The result shares the keys of {@code sa}, which
     * stays their only owner.
     *
     * @throws IllegalStateException for an outbound SA whose last sequence number is unknown
     */
    EspSa continued(EspSa sa) {
        Long seen = last.get(new Key(sa.spi(), sa.direction()));
        if (seen == null) {
            if (sa.direction() == SaDirection.OUTBOUND) {
                throw new IllegalStateException(String.format(
                        "the old data path did not report how far outbound SA %08x counted", sa.spi()));
            }
            return sa;
        }
        return sa.withInitialSequenceNumber(Math.max(seen, sa.initialSequenceNumber()));
    }
}
