package org.mobilevpn.api.net;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears about the host's networks (whiteboard: register it as a service). It receives the current state when it
 * is bound and again after every change of links, addresses or routes, once the changes have settled: a burst of
 * kernel notifications (a link going down takes its addresses and routes with it) arrives as one state. Called on
 * the watcher's thread: do not block it.
 */
@ConsumerType
public interface NetworkListener {

    /** The whole state now (not a difference to the last one). */
    void networkChanged(NetworkState state);
}
