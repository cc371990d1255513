package org.mobilevpn.api.esp;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Live counters of one transform. Written only by the thread that processes packets and readable from
 * any thread at any time without locks (values may be a packet behind).
 */
@ProviderType
public interface EspCounters {

    /** Packets processed successfully ({@link EspStatus#OK}). */
    long packets();

    /** Inner IP packet bytes processed successfully. */
    long bytes();

    /** How many packets ended with this outcome (for {@link EspStatus#OK} the same as {@link #packets()}). */
    long count(EspStatus status);

    /** All packets that ended with something other than OK. */
    default long dropped() {
        long sum = 0;
        for (EspStatus status : EspStatus.values()) {
            if (status != EspStatus.OK) {
                sum += count(status);
            }
        }
        return sum;
    }
}
