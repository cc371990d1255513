package org.mobilevpn.api.ike;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A session listener that can take a session over when its engine goes away without the framework
 * stopping (the ike bundle is updated or stopped): instead of deleting the IKE SA at the gateway, the
 * engine hands the session over as an {@link IkeSaRecord}, and {@link IkeEngine#resume} on the next engine
 * goes on from it. A listener that is not one of these gets the DELETE as before.
 */
@ConsumerType
public interface IkeHandOverListener extends IkeSessionListener {

    /**
     * Final event instead of {@link #ikeSaDeleted} or {@link #failed}: the session stopped without touching
     * the gateway; its SAs go on at the gateway and in the data path. The receiver owns {@code record} (and
     * its keys) and closes it once resumed or given up.
     */
    void handedOver(IkeSaRecord record);
}
