package org.mobilevpn.api.ike;

import org.osgi.annotation.versioning.ProviderType;

/** The IKEv2 initiator (RFC 7296) as a service: starts sessions and runs them until they end. */
@ProviderType
public interface IkeEngine {

    /**
     * Starts a session: IKE_SA_INIT and IKE_AUTH with the first Child SA over {@code transport}, then
     * rekeying, liveness checks and answering the gateway until the session is closed or fails.
     * The engine takes over the transport and closes it when the session ends.
     *
     * @throws IllegalArgumentException if the configuration cannot be used (e.g. an unknown proposal
     *         keyword); the message names the key
     */
    IkeSession start(IkeSessionConfig config, IkeTransport transport, IkeSessionListener listener);
}
