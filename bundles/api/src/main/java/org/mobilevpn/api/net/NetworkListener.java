package org.mobilevpn.api.net;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears about the host's networks (whiteboard: register it as a service). It receives the current state when it
 * is bound and again after every change of links, addresses or routes: a burst of kernel notifications (a link going
 * down takes its addresses and routes with it) arrives as one state, a loss within milliseconds, something that only
 * appeared once it settled (a flap coming up is not published). Called on the watcher's thread: do not block it.
 */
@ConsumerType
public interface NetworkListener {

    /** The whole state now (not a difference to the last one). */
    void networkChanged(NetworkState state);
}
