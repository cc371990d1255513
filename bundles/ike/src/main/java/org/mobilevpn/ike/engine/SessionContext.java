package org.mobilevpn.ike.engine;

import java.security.SecureRandom;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.ike.crypto.AuthSignatures;
import org.mobilevpn.ike.proposal.ProposalSpec;
import org.osgi.service.log.Logger;

/** What tasks and the exchange manager may use of their session. All calls happen on the session's loop. */
interface SessionContext {

    IkeSessionConfig config();

    /** The engine-wide settings this session started with. */
    EngineSettings settings();

    List<ProposalSpec> ikeProposals();

    List<ProposalSpec> espProposals();

    IkeTransport transport();

    Scheduler scheduler();

    SecureRandom random();

    /** Signs our AUTH and verifies the gateway's. */
    AuthSignatures signatures();

    /** The gateway certificate paths of the engine's sessions that validated before. */
    ValidatedChains validatedChains();

    Logger log();

    SessionEvents events();

    /** The IKE SA new exchanges run on. */
    IkeSa currentSa();

    /** Queues an exchange on the current IKE SA. */
    void queue(Exchange exchange);

    /** Queues an exchange on a specific IKE SA (e.g. the DELETE of a rekeyed one). */
    void queue(IkeSa sa, Exchange exchange);

    /** A fresh inbound ESP SPI, unique in this session and outside the reserved 0..255. */
    int allocateChildSpi();

    /**
     * A fresh, non-zero IKE SPI of ours: from now on the transport routes messages carrying it to this
     * session, until its IKE SA is closed or {@link #releaseIkeSpi} gives it up.
     */
    long allocateIkeSpi();

    /** An SPI from {@link #allocateIkeSpi} whose IKE SA was not created after all: no longer ours. */
    void releaseIkeSpi(long spi);

    /**
     * A message of this session passed its integrity check and came from {@code from}: where the gateway's
     * NAT mapping moved its port, we follow it (RFC 7296 §2.23) — on authenticated messages only.
     */
    void authenticatedMessageFrom(java.net.InetSocketAddress from);

    /** IKE_AUTH completed: start liveness checks and IKE SA rekeying. */
    void ikeSaAuthenticated(IkeSa sa);

    /**
     * A Child SA is ready: starts its rekey timer and reports it (or, with {@code replacedSpiIn}, its rekey: as
     * ours or the gateway's, by {@link ChildSa#weInitiated}).
     */
    void childSaReady(IkeSa sa, ChildSa child, Integer replacedSpiIn);

    /**
     * Our rekey made a Child SA that a simultaneous rekey of the gateway's made redundant (RFC 7296 §2.8.1): it
     * is kept only until our DELETE of it completes, carries no traffic and is not reported.
     */
    void childSaRedundant(IkeSa sa, ChildSa child);

    /** Queues a rekey of this Child SA unless one is running or it is going away. */
    void requestChildRekey(IkeSa sa, ChildSa child);

    /** Queues a rekey of the current IKE SA unless one is running. */
    void requestIkeRekey();

    /** Removes a Child SA, wipes it and reports it deleted. */
    void childSaGone(IkeSa sa, ChildSa child, boolean byPeer);

    /** Whether a request of ours that creates, rekeys or deletes a Child SA on {@code sa} is out, not yet answered. */
    boolean childExchangeInFlight(IkeSa sa);

    /** The IKE SA was rekeyed: {@code replacement} takes over the Child SAs and new exchanges. */
    void ikeSaReplaced(IkeSa old, IkeSa replacement, boolean weInitiated);

    /** Starts answering and sending on an IKE SA that is not (yet) the current one (rekey collisions). */
    void ikeSaAdded(IkeSa sa);

    /** A retired IKE SA (after a rekey) is gone: wipe it, keep the session. */
    void retiredSaGone(IkeSa sa);

    /** Ends the session with a failure (final event). */
    void fail(FailureReason reason, String message);

    /** Ends the session normally (final event). */
    void endDeleted(boolean byPeer);

    /** An exchange we started went unanswered. */
    void exchangeTimedOut(IkeSa sa, Exchange exchange);
}
