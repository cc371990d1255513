package org.mobilevpn.api.ike;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One running IKE SA with its Child SAs, as started by {@link IkeEngine#start}. All methods return at
 * once; the outcome arrives at the session's {@link IkeSessionListener}.
 */
@ProviderType
public interface IkeSession extends AutoCloseable {

    /** The configured connection name. */
    String name();

    /** True until the final listener event has been delivered. */
    boolean isActive();

    /** Rekeys the IKE SA now (CREATE_CHILD_SA, RFC 7296 §2.18). */
    void rekeyIkeSa();

    /** Rekeys the Child SA with this inbound SPI now (RFC 7296 §2.8). */
    void rekeyChildSa(int spiIn);

    /** Sends a liveness check (empty INFORMATIONAL, RFC 7296 §2.4) now. */
    void checkLiveness();

    /**
     * The transport's data path is going away (its bundle stops or is updated): the session closes the
     * transport and keeps its SAs, timers and pending requests. Until {@link #attachTransport} nothing
     * reaches the gateway; requests are retried by the retransmission schedule and fail the session
     * only when it gives up, as on a broken network.
     */
    void detachTransport();

    /**
     * Continues the session over a new transport toward the same gateway (after {@link #detachTransport}),
     * moved to port 4500 if the session had moved there (RFC 7296 §2.23); a pending request is sent again
     * at once. The session owns the transport from now on.
     */
    void attachTransport(IkeTransport transport);

    /** Deletes the IKE SA and its Child SAs at the gateway (RFC 7296 §1.4.1), then ends the session. */
    @Override
    void close();
}
