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

    /**
     * Goes on with a session another engine handed over ({@link IkeHandOverListener#handedOver}): the same IKE
     * SA and Child SAs, no handshake, message IDs and timers where the record left them, over {@code transport}.
     * The keys are copied before this returns: the caller closes {@code record}. The engine takes over the
     * transport as with {@link #start}.
     *
     * @throws IllegalArgumentException if the configuration cannot be used, or the record's
     *         {@link IkeSaRecord#version()} is not one this engine reads (then a new IKE SA is needed)
     */
    IkeSession resume(IkeSaRecord record, IkeSessionConfig config, IkeTransport transport, IkeSessionListener listener);
}
