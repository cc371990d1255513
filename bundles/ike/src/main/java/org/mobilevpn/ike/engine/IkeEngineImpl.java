package org.mobilevpn.ike.engine;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.mobilevpn.api.ike.IkeEngine;
import org.mobilevpn.api.ike.IkeHandOverListener;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.ike.crypto.AuthSignatures;
import org.mobilevpn.ike.crypto.JcaAuthSignatures;
import org.osgi.service.log.Logger;

/**
 * The IKEv2 initiator engine: creates a session per {@link #start} on the injected scheduler (one loop
 * for all sessions), with injected randomness and log.
 */
public final class IkeEngineImpl implements IkeEngine {
    private final Scheduler scheduler;
    private final SecureRandom random;
    private final AuthSignatures signatures;
    private final ValidatedChains validatedChains = new ValidatedChains();
    private final Logger log;
    private volatile EngineSettings settings = EngineSettings.DEFAULTS;
    private final Map<IkeSessionImpl, Boolean> sessions = Collections.synchronizedMap(new WeakHashMap<>());

    public IkeEngineImpl(Scheduler scheduler, SecureRandom random, Logger log) {
        this(scheduler, random, new JcaAuthSignatures(), log);
    }

    /** As above, with the AUTH signatures of all sessions made and checked by {@code signatures}. */
    public IkeEngineImpl(Scheduler scheduler, SecureRandom random, AuthSignatures signatures, Logger log) {
        this.signatures = signatures;
        this.scheduler = scheduler;
        this.random = random;
        this.log = log;
    }

    @Override
    public IkeSession start(IkeSessionConfig config, IkeTransport transport, IkeSessionListener listener) {
        IkeSessionImpl session = new IkeSessionImpl(config, settings, transport, listener, scheduler, random, signatures,
                validatedChains, log);
        sessions.put(session, Boolean.TRUE);
        session.start();
        return session;
    }

    /**
     * Goes on with a session another engine handed over ({@link IkeHandOverListener#handedOver}): no handshake,
     * the same IKE SA and Child SAs. The keys are copied before this returns; the caller closes the record.
     *
     * @throws IllegalArgumentException if the configuration cannot be used or this engine does not read the
     *         record's version
     */
    @Override
    public IkeSession resume(IkeSaRecord record, IkeSessionConfig config, IkeTransport transport,
            IkeSessionListener listener) {
        IkeSessionImpl session = new IkeSessionImpl(config, settings, transport, listener, scheduler, random, signatures,
                validatedChains, log);
        session.resume(record);
        sessions.put(session, Boolean.TRUE);
        return session;
    }

    /**
     * Hands every running session over to its listener as a record (the engine goes, the framework does not),
     * each as soon as it can be ({@link IkeSessionImpl#handOver}); what cannot be handed over within
     * {@code grace} is closed (DELETE) as by {@link #closeAll()}.
     */
    public void handOverAll(java.time.Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (sessions) {
            for (IkeSessionImpl s : sessions.keySet()) {
                if (s.isActive()) {
                    s.handOver(deadline);
                }
            }
        }
    }

    /** Settings for the sessions started from now on; running sessions keep the ones they started with. */
    public void settings(EngineSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings);
    }

    /** The settings new sessions start with. */
    public EngineSettings settings() {
        return settings;
    }

    /**
     * Waits until every session has ended (for example after {@link #closeAll()}), at most {@code timeout}.
     *
     * @return whether all sessions ended
     */
    public boolean awaitAllClosed(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean anyActive;
            synchronized (sessions) {
                anyActive = sessions.keySet().stream().anyMatch(IkeSessionImpl::isActive);
            }
            if (!anyActive) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Closes every session still running (DELETE to each gateway). */
    public void closeAll() {
        synchronized (sessions) {
            for (IkeSessionImpl s : sessions.keySet()) {
                if (s.isActive()) {
                    s.close();
                }
            }
        }
    }
}
