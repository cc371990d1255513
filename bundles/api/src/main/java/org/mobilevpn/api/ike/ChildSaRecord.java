package org.mobilevpn.api.ike;

import java.time.Instant;
import java.util.Objects;

/**
 * One Child SA of an {@link IkeSaRecord}, as the IKE engine knows it (its sequence numbers live in the data
 * path, which keeps them). {@link #close()} wipes its keys.
 *
 * @param childSa     SPIs, transforms, keys by direction, selectors
 * @param weInitiated we started the exchange that created it (RFC 7296 §2.17: which KEYMAT half is ours)
 * @param rekeyAt     when the engine rekeys it, or null when it does not
 * @param expiresAt   its hard lifetime: it is deleted then if it was not rekeyed
 */
public record ChildSaRecord(ChildSaInfo childSa, boolean weInitiated, Instant rekeyAt, Instant expiresAt)
        implements AutoCloseable {

    public ChildSaRecord {
        Objects.requireNonNull(childSa, "childSa");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public void close() {
        childSa.close();
    }
}
