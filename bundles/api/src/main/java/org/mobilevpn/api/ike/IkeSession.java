package org.mobilevpn.api.ike;

import java.net.InetAddress;
import java.time.Duration;
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

    /**
     * The way to the gateway changed: from now on the session sends from {@code local} to {@code remote} (another
     * address of the same gateway, or the same one), and tells the gateway with MOBIKE (RFC 4555 §3.5,
     * UPDATE_SA_ADDRESSES with fresh NAT detection). The IKE SA and its Child SAs stay, with their SPIs. The outcome
     * arrives at the listener: {@link IkeSessionListener#ikeSaMoved} once the gateway has confirmed, or
     * {@link IkeSessionListener#moveImpossible} when MOBIKE was not negotiated (the caller then replaces the
     * session); an unanswered update fails the session like any unanswered request.
     *
     * @since 2.1
     */
    void moveTo(InetAddress local, InetAddress remote);

    /**
     * Ends the session without touching the gateway and hands it to its {@link IkeHandOverListener} as an
     * {@link IkeSaRecord}, as soon as it is between exchanges or in the middle of one the next engine can finish
     * (api 2.3: {@link IkeSaRecord#inFlight()}, {@link IkeSaRecord#replaced()}; what the engine does for every
     * session when its own bundle goes): how the listener's bundle, when it is updated, passes the IKE SA to its
     * successor, which goes on with {@link IkeEngine#resume}. A session that does not get there within
     * {@code grace}, or whose listener cannot take a record, is closed as by {@link #close()}.
     *
     * @since 2.2
     */
    void handOver(Duration grace);

    /** Deletes the IKE SA and its Child SAs at the gateway (RFC 7296 §1.4.1), then ends the session. */
    @Override
    void close();
}
