package org.mobilevpn.api.policy;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The most recent connection events, as EventAdmin delivered them under
 * {@link VpnManager#TOPIC_PREFIX}{@code *}: what an operator reads to see how a connection got where it is.
 * Bounded: the oldest events are forgotten first.
 */
@ProviderType
public interface ConnectionEventLog {

    /** How many events are kept. */
    int CAPACITY = 100;

    /** The recent events, oldest first, at most {@link #CAPACITY}. */
    List<ConnectionEvent> recent();
}
