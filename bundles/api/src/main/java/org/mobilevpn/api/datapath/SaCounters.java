package org.mobilevpn.api.datapath;

import java.util.Map;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.api.esp.SaDirection;

/**
 * One installed SA's counters at the moment of the snapshot.
 *
 * @param outcomes per {@link EspStatus} except OK, only those that occurred
 * @param sequenceNumber outbound: last sent; inbound: highest accepted
 */
public record SaCounters(int childSaId, int spi, SaDirection direction, long packets, long bytes,
        Map<EspStatus, Long> outcomes, long sequenceNumber, LifetimeState lifetimeState) {

    public SaCounters {
        outcomes = Map.copyOf(outcomes);
    }
}
