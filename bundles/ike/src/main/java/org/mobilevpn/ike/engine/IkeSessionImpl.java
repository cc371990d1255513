package org.mobilevpn.ike.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.ChildSaRecord;
import org.mobilevpn.api.ike.IkeHandOverListener;
import org.mobilevpn.api.ike.IkeRequestInFlight;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.ike.crypto.AuthSignatures;
import org.mobilevpn.ike.crypto.JcaAuthSignatures;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.ike.message.IkeParseException;
import org.mobilevpn.ike.proposal.ProposalParser;
import org.mobilevpn.ike.proposal.ProposalSpec;
import org.osgi.service.log.Logger;

/**
 * One IKE session: the current IKE SA (and, briefly after a rekey, the retired one), their exchange
 * managers, timers for rekeying and liveness, and the listener. All state changes run on the
 * {@link Scheduler}'s loop; the public methods only post work to it. Any unexpected exception on the loop
 * fails the session with INTERNAL instead of killing the loop.
 */
public final class IkeSessionImpl implements IkeSession, SessionContext {
    private final IkeSessionConfig config;
    private final EngineSettings settings;
    private final List<ProposalSpec> ikeProposals;
    private final List<ProposalSpec> espProposals;
    /** The current transport; replaced by {@link #detachTransport} / {@link #attachTransport} (loop only). */
    private IkeTransport transport;
    private final Scheduler scheduler;
    private final SecureRandom random;
    private final AuthSignatures signatures;
    private final ValidatedChains validatedChains;
    private final Logger log;
    private final SessionEvents events;
    private final RetransmissionSchedule retransmission;
    private final MobikeState mobike = new MobikeState(this);
    private final Map<IkeSa, ExchangeManager> managers = new IdentityHashMap<>();
    private final Set<Integer> usedSpis = new HashSet<>();
    /**
     * Our SPIs of the IKE SAs this session has or is creating, read by the transport's thread to route
     * messages ({@link IkeTransport.Receiver#ownsIkeSpi}): added when allocated, so that the first answer on a
     * new IKE SA already finds us; removed when that SA is closed or its creation failed.
     */
    private final Set<Long> localIkeSpis = ConcurrentHashMap.newKeySet();
    private IkeSa current;
    private Scheduler.Cancellable dpdTimer;
    private Scheduler.Cancellable ikeRekeyTimer;
    /** When {@link #ikeRekeyTimer} fires, on the scheduler's clock; -1 when it is not set. */
    private long ikeRekeyDueMillis = -1;
    private volatile boolean active = true;
    /** How often a hand-over looks again whether the session can be handed over. */
    private static final Duration HAND_OVER_POLL = Duration.ofMillis(50);

    /**
     * @throws IllegalArgumentException if a proposal of the configuration cannot be parsed
     */
    public IkeSessionImpl(IkeSessionConfig config, EngineSettings settings, IkeTransport transport,
            IkeSessionListener listener, Scheduler scheduler, SecureRandom random, Logger log) {
        this(config, settings, transport, listener, scheduler, random, new JcaAuthSignatures(), new ValidatedChains(), log);
    }

    /**
     * As above, with the AUTH signatures made and checked by {@code signatures} and the gateway's certificate
     * path validated by {@code validatedChains}, both shared by the engine's sessions.
     */
    IkeSessionImpl(IkeSessionConfig config, EngineSettings settings, IkeTransport transport, IkeSessionListener listener,
            Scheduler scheduler, SecureRandom random, AuthSignatures signatures, ValidatedChains validatedChains,
            Logger log) {
        if (!config.caCertificates().isEmpty() && config.remoteId() == null && config.remoteHostId() == null) {
            // with neither, any certificate of the CA (every other client's) would pass as the gateway's
            throw new IllegalArgumentException("remote_id: missing: the gateway's certificate must be checked against "
                    + "remote_id or the gateway's host in remote_addrs, and neither is given");
        }
        this.signatures = signatures;
        this.validatedChains = validatedChains;
        this.config = config;
        this.settings = settings;
        this.ikeProposals = ProposalParser.parseIke(config.ikeProposals());
        this.espProposals = ProposalParser.parseEsp(config.espProposals());
        this.transport = transport;
        this.scheduler = scheduler;
        this.random = random;
        this.log = log;
        this.events = new SessionEvents(listener, log);
        this.retransmission = new RetransmissionSchedule(settings.retransmitTimeout(), settings.retransmitBase(),
                settings.retransmitTries());
    }

    /** Opens the transport and starts IKE_SA_INIT and IKE_AUTH. */
    public void start() {
        scheduler.execute(guarded(() -> {
            try {
                transport.open(receiverFor(transport));
            } catch (IOException e) {
                fail(FailureReason.UNREACHABLE, "cannot open the transport: " + e.getMessage());
                return;
            }
            log.debug("session " + config.name() + ": transport open " + transport.localEndpoint() + " -> "
                    + transport.remoteEndpoint());
            current = new IkeSa(true);
            managers.put(current, newManager(current));
            IkeInitTask init = new IkeInitTask(this, current);
            queue(new Exchange(ExchangeType.IKE_SA_INIT, List.of(new CookieTask(), new InvalidKeRetryTask(init), init,
                    new NatDetectionTask(this, current), new FragmentationSupportTask(this, current),
                    new SignatureHashTask(current)), FailureReason.UNREACHABLE));
            queue(new Exchange(ExchangeType.IKE_AUTH, List.of(new IkeAuthTask(this, current),
                    new ConfigRequestTask(this, current), new ChildCreateTask(this, current), new MobikeSupportTask(this)),
                    FailureReason.UNREACHABLE));
        }));
    }

    /**
     * Goes on from an exported session instead of a handshake: the IKE SA and Child SAs of {@code record}
     * (keys copied now, so the caller may close the record when this returns), message IDs where they stood,
     * timers at the record's deadlines, over this session's transport.
     *
     * @throws IllegalArgumentException if this engine does not read the record's version
     */
    public void resume(IkeSaRecord record) {
        IkeSa sa = SessionRecords.restore(record);
        IkeSa replaced;
        try {
            replaced = record.replaced() == null ? null : SessionRecords.restoreReplaced(record.replaced());
        } catch (RuntimeException e) {
            sa.close();
            throw e;
        }
        ExchangeManager.Ids replacedIds = replaced == null ? null : new ExchangeManager.Ids(
                record.replaced().nextRequestId(), record.replaced().expectedPeerRequestId(),
                record.replaced().lastResponse());
        ExchangeManager.Ids ids = new ExchangeManager.Ids(record.nextRequestId(), record.expectedPeerRequestId(),
                record.lastResponse());
        Duration silence = Duration.between(record.lastHeardAt(), Instant.now());
        Duration ikeRekey = record.ikeRekeyAt() == null ? null : SessionRecords.until(record.ikeRekeyAt());
        List<Duration[]> childTimers = new ArrayList<>();
        for (ChildSaRecord c : record.children()) {
            childTimers.add(new Duration[] {c.rekeyAt() == null ? null : SessionRecords.until(c.rekeyAt()),
                SessionRecords.until(c.expiresAt())});
        }
        InetSocketAddress remote = record.ikeSa().remoteEndpoint();
        boolean natTraversal = record.onNatTraversalPort();
        IkeRequestInFlight inFlight = record.inFlight();
        scheduler.execute(guarded(() -> {
            try {
                transport.open(receiverFor(transport));
                if (natTraversal && !transport.isOnNatTraversalPort()) {
                    transport.switchToNatTraversalPort();
                }
                if (natTraversal && remote.getAddress().equals(transport.remoteEndpoint().getAddress())) {
                    transport.setRemoteEndpoint(remote); // the NAT-mapped port authenticated messages came from
                }
            } catch (IOException e) {
                sa.close();
                if (replaced != null) {
                    replaced.close();
                }
                fail(FailureReason.UNREACHABLE, "cannot open the transport to resume on: " + e.getMessage());
                return;
            }
            current = sa;
            localIkeSpis.add(sa.localSpi());
            ExchangeManager m = newManager(sa);
            m.resume(ids, scheduler.nowMillis() - Math.max(0, silence.toMillis()));
            managers.put(sa, m);
            if (inFlight != null) {
                InFlightHandOver.resume(this, sa, m, inFlight);
                usedSpis.add(inFlight.newChildSpi());
            }
            if (replaced != null) { // until the gateway deletes it
                localIkeSpis.add(replaced.localSpi());
                ExchangeManager r = newManager(replaced);
                r.resume(replacedIds, scheduler.nowMillis() - Math.max(0, silence.toMillis()));
                managers.put(replaced, r);
            }
            for (int i = 0; i < sa.children.size(); i++) {
                ChildSa c = sa.children.get(i);
                usedSpis.add(c.spiIn);
                scheduleChildTimers(c, childTimers.get(i)[0], childTimers.get(i)[1]);
            }
            scheduleIkeRekey(ikeRekey);
            scheduleDpd();
            log.info("session " + config.name() + ": resumed " + sa + " with " + sa.children + " at message IDs "
                    + ids.nextRequestId() + "/" + ids.expectedPeerRequestId()
                    + (inFlight == null ? "" : ", going on with our " + inFlight)
                    + (replaced == null ? "" : ", keeping " + replaced + " until the gateway deletes it")
                    + " over " + transport.localEndpoint()
                    + " -> " + transport.remoteEndpoint());
        }));
    }

    /**
     * Ends the session without touching the gateway and hands it to the listener as an {@link IkeSaRecord}
     * ({@link IkeHandOverListener}), as soon as it is between exchanges ({@link #betweenExchanges}) or in the middle
     * of one the next engine can finish ({@link #inFlightToHandOver}, {@link #replacedAwaitingPeersDelete}): at
     * once, then. A session that does not get there by {@code deadlineNanos}
     * ({@link System#nanoTime()}), or whose listener cannot take it, is closed as before (DELETE).
     */
    @Override
    public void handOver(java.time.Duration grace) {
        handOver(System.nanoTime() + grace.toNanos());
    }

    public void handOver(long deadlineNanos) {
        scheduler.execute(guarded(() -> {
            IkeRequestInFlight inFlight = null;
            if (!events.canTakeOver() || current == null || !current.state().established()) {
                closeNow();
            } else if (betweenExchanges() || (inFlight = inFlightToHandOver()) != null) {
                IkeSa old = replacedAwaitingPeersDelete();
                IkeSaRecord replaced = old == null ? null : SessionRecords.export(old, managers.get(old).ids(), transport,
                        config.localId(), -1, managers.get(old).lastReceivedMillis(), scheduler, null, null);
                IkeSaRecord record = SessionRecords.export(current, managers.get(current).ids(), transport,
                        config.localId(), ikeRekeyDueMillis, managers.get(current).lastReceivedMillis(), scheduler,
                        inFlight, replaced);
                log.info("session " + config.name() + ": handing " + current + " over at message IDs "
                        + record.nextRequestId() + "/" + record.expectedPeerRequestId()
                        + (inFlight == null ? "" : " with our " + inFlight + " to go on with")
                        + "; nothing sent to the gateway");
                shutdown();
                events.handedOver(record);
            } else if (System.nanoTime() - deadlineNanos < 0) {
                scheduler.schedule(HAND_OVER_POLL, () -> handOver(deadlineNanos));
            } else {
                log.info("session " + config.name() + ": an exchange is still running; closing instead of handing over");
                closeNow();
            }
        }));
    }

    /**
     * Nothing of ours in flight or waiting, no rekey or delete of ours under way: the state is all in the SAs. A
     * Child SA the gateway rekeyed and is about to delete may be there ({@link #awaitingPeersDelete}): its successor
     * is in the SAs, and our answer to the rekey is the last response, sent again if the gateway asks again. So may
     * the IKE SA the gateway rekeyed ({@link #replacedAwaitingPeersDelete}), for the same reason.
     */
    private boolean betweenExchanges() {
        return current.state() == IkeSaState.ESTABLISHED && managers.get(current).idle()
                && (managers.size() == 1 || replacedAwaitingPeersDelete() != null)
                && current.children.stream().allMatch(c -> !c.retiring && c.rekeying == null || awaitingPeersDelete(c));
    }

    /**
     * The IKE SA the gateway rekeyed into the current one and has not deleted yet (RFC 7296 §2.18), with nothing of
     * ours running on it, or null. (After our own rekey our DELETE of the old one runs on it until it is gone.)
     */
    private IkeSa replacedAwaitingPeersDelete() {
        if (managers.size() != 2 || current.replacedByPeer != null) {
            return null;
        }
        for (Map.Entry<IkeSa, ExchangeManager> e : managers.entrySet()) {
            if (e.getKey() != current) {
                IkeSa old = e.getKey();
                return old.state() == IkeSaState.RETIRED && old.children.isEmpty() && e.getValue().idle() ? old : null;
            }
        }
        return null;
    }

    /**
     * A Child SA on its way out with no exchange of ours for it, which the callers make sure of (our own rekey or
     * delete keeps an exchange in flight or waiting until it is gone): the gateway rekeyed it (RFC 7296 §2.8) and
     * deletes it next.
     */
    private static boolean awaitingPeersDelete(ChildSa c) {
        return c.retiring && c.rekeying == null;
    }

    /**
     * Our request in flight as data ({@link InFlightHandOver}), when it is one the next engine can go on with and
     * the rest of the state is all in the SAs: one IKE SA, no other rekey or delete under way, nothing waiting but
     * liveness checks (the next engine's own timer makes them again). Null otherwise.
     */
    private IkeRequestInFlight inFlightToHandOver() {
        ExchangeManager m = managers.get(current);
        ExchangeManager.InFlight f = m.inFlight();
        if (current.state() != IkeSaState.ESTABLISHED || managers.size() != 1 || f == null
                || !m.waitingOnly(InFlightHandOver::isLivenessCheck)) {
            return null;
        }
        IkeRequestInFlight r = InFlightHandOver.export(f, scheduler);
        ChildSa rekeyed = r == null ? null : current.childByInboundSpi(r.rekeyedChildSpi());
        boolean othersSettled = current.children.stream().allMatch(c -> c == rekeyed && c.replacedByPeer == null
                || !c.retiring && c.rekeying == null || awaitingPeersDelete(c));
        return othersSettled ? r : null;
    }

    /** Delivers what {@code t} receives to the loop, as long as {@code t} is the session's transport. */
    private IkeTransport.Receiver receiverFor(IkeTransport t) {
        return new IkeTransport.Receiver() {
            @Override
            public void received(InetSocketAddress from, byte[] message) {
                scheduler.execute(guarded(() -> {
                    if (t == transport) {
                        onDatagram(from, message);
                    }
                }));
            }

            @Override
            public boolean ownsIkeSpi(long localSpi) {
                return localIkeSpis.contains(localSpi);
            }

            @Override
            public void transportFailed(IOException cause) {
                scheduler.execute(guarded(() -> {
                    if (t == transport) {
                        fail(FailureReason.UNREACHABLE, "transport failed: " + cause.getMessage());
                    }
                }));
            }
        };
    }

    private ExchangeManager newManager(IkeSa sa) {
        return new ExchangeManager(sa, this, retransmission, Map.of(ExchangeType.INFORMATIONAL,
                new InformationalResponder(this), ExchangeType.CREATE_CHILD_SA, new CreateChildResponder(this)));
    }

    /** Wraps loop work so that nothing escapes: an unexpected exception fails the session (INTERNAL). */
    private Runnable guarded(Runnable work) {
        return () -> {
            if (!active) {
                return;
            }
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("internal error in session " + config.name() + ": " + e);
                fail(FailureReason.INTERNAL, "internal error: " + e);
            }
        };
    }

    private void onDatagram(InetSocketAddress from, byte[] datagram) {
        IkeHeader header;
        try {
            header = IkeMessageCodec.decodeHeader(datagram);
        } catch (IkeParseException e) {
            log.debug("dropping datagram: " + e.getMessage());
            return;
        }
        for (Map.Entry<IkeSa, ExchangeManager> e : managers.entrySet()) {
            IkeSa sa = e.getKey();
            boolean initResponse = sa.spiR == 0 && header.exchangeType() == ExchangeType.IKE_SA_INIT
                    && header.isResponse();
            if (header.initiatorSpi() == sa.spiI && (header.responderSpi() == sa.spiR || initResponse)
                    && header.isInitiator() != sa.initiator) {
                e.getValue().onDatagram(datagram, header, from);
                return;
            }
        }
        log.debug("dropping datagram for an unknown IKE SA: " + header);
    }

    // --- IkeSession -------------------------------------------------------------------------------

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void rekeyIkeSa() {
        scheduler.execute(guarded(this::requestIkeRekey));
    }

    @Override
    public void rekeyChildSa(int spiIn) {
        scheduler.execute(guarded(() -> {
            if (current != null && current.childByInboundSpi(spiIn) != null) {
                requestChildRekey(current, current.childByInboundSpi(spiIn));
            }
        }));
    }

    @Override
    public void detachTransport() {
        scheduler.execute(guarded(() -> {
            IkeTransport old = transport;
            transport = new DetachedTransport(old);
            old.close();
            log.info("session " + config.name() + ": transport detached, SAs kept");
        }));
    }

    @Override
    public void attachTransport(IkeTransport next) {
        Runnable attach = () -> {
            boolean natTraversal = transport.isOnNatTraversalPort();
            InetSocketAddress remote = transport.remoteEndpoint();
            IkeTransport old = transport;
            transport = next;
            old.close();
            try {
                next.open(receiverFor(next));
                if (natTraversal && !next.isOnNatTraversalPort()) {
                    next.switchToNatTraversalPort();
                }
                if (natTraversal && remote.getAddress().equals(next.remoteEndpoint().getAddress())) {
                    next.setRemoteEndpoint(remote); // the NAT-mapped port authenticated messages came from
                }
            } catch (IOException e) {
                fail(FailureReason.UNREACHABLE, "cannot open the new transport: " + e.getMessage());
                return;
            }
            log.info("session " + config.name() + ": transport attached " + next.localEndpoint() + " -> "
                    + next.remoteEndpoint());
            managers.values().forEach(ExchangeManager::resendActive);
        };
        scheduler.execute(() -> {
            if (active) {
                guarded(attach).run();
            } else {
                next.close(); // the session ended meanwhile: nobody else will close it
            }
        });
    }

    @Override
    public void moveTo(java.net.InetAddress local, java.net.InetAddress remote) {
        scheduler.execute(guarded(() -> mobike.move(current, managers.get(current), local, remote)));
    }

    @Override
    public void checkLiveness() {
        scheduler.execute(guarded(() -> {
            if (current != null && current.state().established()) {
                queue(livenessCheck());
            }
        }));
    }

    /** Behind a NAT with MOBIKE the check also looks at the NAT mapping the gateway sees. */
    private Exchange livenessCheck() {
        return NatMappingCheck.applies(this, current) ? NatMappingCheck.exchange(this, current, config.dpdDelay())
                : DpdTask.exchange(this, config.dpdDelay());
    }

    @Override
    public void close() {
        scheduler.execute(guarded(this::closeNow));
    }

    /** {@link #close()} on the loop. */
    private void closeNow() {
        if (current != null && current.state().established()) {
            log.info(current + " closing: deleting it at the gateway");
            managers.get(current).replaceQueue(IkeDeleteTask.exchange(this, current));
        } else {
            if (current != null && current.crypto() != null) {
                managers.get(current).sendOneShot(ExchangeType.INFORMATIONAL, List.of(DeletePayload.ikeSa()));
            }
            endDeleted(false);
        }
    }

    // --- SessionContext ---------------------------------------------------------------------------

    @Override
    public EngineSettings settings() {
        return settings;
    }

    @Override
    public IkeSessionConfig config() {
        return config;
    }

    @Override
    public List<ProposalSpec> ikeProposals() {
        return ikeProposals;
    }

    @Override
    public List<ProposalSpec> espProposals() {
        return espProposals;
    }

    @Override
    public IkeTransport transport() {
        return transport;
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public SecureRandom random() {
        return random;
    }

    @Override
    public AuthSignatures signatures() {
        return signatures;
    }

    @Override
    public ValidatedChains validatedChains() {
        return validatedChains;
    }

    @Override
    public Logger log() {
        return log;
    }

    @Override
    public SessionEvents events() {
        return events;
    }

    @Override
    public MobikeState mobike() {
        return mobike;
    }

    @Override
    public IkeSa currentSa() {
        return current;
    }

    @Override
    public void queue(Exchange exchange) {
        queue(current, exchange);
    }

    @Override
    public void queue(IkeSa sa, Exchange exchange) {
        ExchangeManager m = managers.get(sa);
        if (m != null && active) {
            m.queue(exchange);
        }
    }

    @Override
    public int allocateChildSpi() {
        while (true) {
            int spi = random.nextInt();
            if (Integer.compareUnsigned(spi, 256) >= 0 && usedSpis.add(spi)) {
                return spi;
            }
        }
    }

    @Override
    public long allocateIkeSpi() {
        long spi;
        do {
            spi = random.nextLong();
        } while (spi == 0 || !localIkeSpis.add(spi));
        return spi;
    }

    @Override
    public void releaseIkeSpi(long spi) {
        localIkeSpis.remove(spi);
    }

    @Override
    public void authenticatedMessageFrom(InetSocketAddress from) {
        mobike.authenticatedFrom(from);
        InetSocketAddress remote = transport.remoteEndpoint();
        if (transport.isOnNatTraversalPort() && from.getAddress().equals(remote.getAddress())
                && from.getPort() != remote.getPort()) {
            log.info("session " + config.name() + ": the gateway's NAT moved it from port " + remote.getPort()
                    + " to " + from.getPort() + "; following");
            transport.setRemoteEndpoint(from);
        }
    }

    @Override
    public void ikeSaAuthenticated(IkeSa sa) {
        scheduleIkeRekey();
        scheduleDpd();
    }

    private Duration jittered(Duration time) {
        long ms = time.toMillis();
        return Duration.ofMillis(ms - (long) (ms * settings.rekeyJitter() * random.nextDouble()));
    }

    private void scheduleIkeRekey() {
        scheduleIkeRekey(config.ikeRekeyTime().isZero() ? null : jittered(config.ikeRekeyTime()));
    }

    /** Rekeys the IKE SA after {@code delay}; null: never. */
    private void scheduleIkeRekey(Duration delay) {
        if (ikeRekeyTimer != null) {
            ikeRekeyTimer.cancel();
        }
        ikeRekeyDueMillis = -1;
        if (delay != null) {
            ikeRekeyDueMillis = scheduler.nowMillis() + delay.toMillis();
            ikeRekeyTimer = scheduler.schedule(delay, guarded(this::requestIkeRekey));
        }
    }

    private void scheduleDpd() {
        scheduleDpd(config.dpdDelay());
    }

    /** The next look at the silence comes when it would reach dpd_delay, not a whole period later. */
    private void scheduleDpd(Duration delay) {
        if (config.dpdDelay().isZero()) {
            return;
        }
        dpdTimer = scheduler.schedule(delay, guarded(() -> {
            ExchangeManager m = managers.get(current);
            long silence = scheduler.nowMillis() - m.lastReceivedMillis();
            long dpd = config.dpdDelay().toMillis();
            if (silence < dpd) {
                scheduleDpd(Duration.ofMillis(dpd - silence));
                return;
            }
            if (m.idle()) {
                log.debug(current + " silent for " + silence + " ms: liveness check");
                queue(livenessCheck());
            }
            scheduleDpd(config.dpdDelay());
        }));
    }

    @Override
    public void requestIkeRekey() {
        if (current == null || !current.state().established() || managers.get(current).has(t -> t instanceof IkeRekeyTask)) {
            return;
        }
        queue(new Exchange(ExchangeType.CREATE_CHILD_SA, List.of(new IkeRekeyTask(this, current)), FailureReason.PEER_GONE));
    }

    @Override
    public void requestChildRekey(IkeSa sa, ChildSa child) {
        if (sa != current || !sa.children.contains(child) || child.retiring
                || managers.get(sa).has(t -> t instanceof ChildRekeyTask && ((ChildRekeyTask) t).old() == child)) {
            return;
        }
        queue(new Exchange(ExchangeType.CREATE_CHILD_SA, List.of(new ChildRekeyTask(this, sa, child)), FailureReason.PEER_GONE));
    }

    @Override
    public void childSaReady(IkeSa sa, ChildSa child, Integer replacedSpiIn) {
        sa.children.add(child);
        Duration rekey = config.childRekeyTime().isZero() ? config.childLifetime() : jittered(config.childRekeyTime());
        scheduleChildTimers(child, config.childRekeyTime().isZero() ? null : rekey, config.childLifetime());
        ChildSaInfo info = SessionRecords.childInfo(sa, child, rekey, config.childLifetime(), transport);
        log.info(child + (replacedSpiIn == null ? " established: " : String.format(" replaces %08x%s: ", replacedSpiIn,
                child.weInitiated ? "" : " (the gateway's rekey)")) + info);
        child.reported = true;
        if (replacedSpiIn == null) {
            events.childSaEstablished(info);
        } else if (child.weInitiated) {
            events.childSaRekeyed(replacedSpiIn, info);
        } else {
            events.childSaRekeyedByPeer(replacedSpiIn, info);
        }
    }

    @Override
    public void childSaRedundant(IkeSa sa, ChildSa child) {
        child.retiring = true;
        sa.children.add(child);
    }

    /** Rekeys the Child SA after {@code rekey} (null: never) and deletes it after {@code lifetime} if still there. */
    private void scheduleChildTimers(ChildSa child, Duration rekey, Duration lifetime) {
        long now = scheduler.nowMillis();
        if (rekey != null) {
            child.rekeyDueMillis = now + rekey.toMillis();
            child.rekeyTimer = scheduler.schedule(rekey, guarded(() -> requestChildRekey(current, child)));
        }
        // Hard lifetime: an SA that could not be rekeyed in time is deleted rather than used on (RFC 4301 §4.4.2.1).
        child.expiryDueMillis = now + lifetime.toMillis();
        child.expiryTimer = scheduler.schedule(lifetime, guarded(() -> expireChild(child)));
    }

    private void expireChild(ChildSa child) {
        if (current != null && current.children.contains(child) && !child.retiring) {
            log.warn(child + " reached its life time without a rekey; deleting it");
            queue(ChildDeleteTask.exchange(this, current, child));
        }
    }

    @Override
    public void childSaGone(IkeSa sa, ChildSa child, boolean byPeer) {
        if (sa.children.remove(child)) {
            child.close();
            if (child.reported) {
                events.childSaDeleted(child.spiIn, byPeer);
            }
        }
    }

    @Override
    public void ikeSaReplaced(IkeSa old, IkeSa replacement, boolean weInitiated) {
        replacement.children.addAll(old.children);
        old.children.clear();
        old.retire();
        current = replacement;
        ikeSaAdded(replacement);
        carryOverChildExchanges(old, replacement);
        log.info(old + " rekeyed to " + replacement + (weInitiated ? "" : " by the gateway"));
        events.ikeSaRekeyed(replacement.toInfo(transport.localEndpoint(), transport.remoteEndpoint(), config.localId()));
        scheduleIkeRekey();
        if (weInitiated) {
            queue(old, IkeDeleteTask.exchange(this, old));
        }
    }

    /**
     * Child SA exchanges still waiting on the old IKE SA when it was rekeyed: the old SA's queue goes with it
     * (its tasks for the moved Child SAs turn obsolete), so they are asked for again on the new one (RFC 7296
     * §2.8: the Child SAs now belong to the new IKE SA). Lost, a rekey that fell due during the IKE SA rekey
     * never happened and the Child SA was deleted at its lifetime, the tunnel's only one; a lost delete left
     * the replaced Child SA at the gateway.
     */
    private void carryOverChildExchanges(IkeSa old, IkeSa replacement) {
        ExchangeManager waiting = managers.get(old);
        if (waiting == null) {
            return;
        }
        for (ChildSa child : new ArrayList<>(replacement.children)) {
            if (waiting.waiting(t -> t instanceof ChildDeleteTask d && d.child() == child)) {
                queue(replacement, ChildDeleteTask.exchange(this, replacement, child));
            } else if (waiting.waiting(t -> t instanceof ChildRekeyTask r && r.old() == child)) {
                requestChildRekey(replacement, child);
            }
        }
    }

    @Override
    public boolean childExchangeInFlight(IkeSa sa) {
        ExchangeManager m = managers.get(sa);
        return m != null && m.running(t -> t instanceof ChildCreateTask || t instanceof ChildRekeyTask
                || t instanceof ChildDeleteTask);
    }

    @Override
    public void ikeSaAdded(IkeSa sa) {
        managers.computeIfAbsent(sa, this::newManager);
    }

    @Override
    public void retiredSaGone(IkeSa sa) {
        ExchangeManager m = managers.remove(sa);
        if (m != null) {
            m.stop();
        }
        sa.close();
        localIkeSpis.remove(sa.localSpi());
    }

    @Override
    public void exchangeTimedOut(IkeSa sa, Exchange exchange) {
        String what = ExchangeType.name(exchange.exchangeType());
        if (exchange.onTimeout() == null) {
            log.info(sa + ": no answer to our " + what + "; deleting anyway");
            if (sa == current) {
                endDeleted(false);
            } else {
                retiredSaGone(sa);
            }
            return;
        }
        if (sa != current) {
            retiredSaGone(sa); // an old SA going silent does not matter any more
            return;
        }
        Duration bound = exchange.giveUpAfter();
        fail(exchange.onTimeout(), "no answer from the gateway to " + what + " after " + (bound != null
                && bound.compareTo(retransmission.giveUpAfter()) < 0 ? bound.toMillis() / 1000.0 + " s"
                : settings.retransmitTries() + " retransmissions (" + retransmission.giveUpAfter().toSeconds() + " s)"));
    }

    @Override
    public void fail(FailureReason reason, String message) {
        if (!active) {
            return;
        }
        log.warn("session " + config.name() + " failed (" + reason + "): " + message);
        boolean farewell = current != null && current.crypto() != null && reason != FailureReason.AUTH_FAILED
                && reason != FailureReason.UNREACHABLE && reason != FailureReason.PEER_GONE;
        if (farewell) {
            managers.get(current).sendOneShot(ExchangeType.INFORMATIONAL, List.of(DeletePayload.ikeSa()));
        }
        shutdown();
        events.failed(reason, message);
    }

    @Override
    public void endDeleted(boolean byPeer) {
        if (!active) {
            return;
        }
        if (current != null) {
            for (ChildSa c : new ArrayList<>(current.children)) {
                if (c.reported) {
                    events.childSaDeleted(c.spiIn, byPeer);
                }
            }
        }
        shutdown();
        events.ikeSaDeleted(byPeer);
    }

    private void shutdown() {
        active = false;
        if (dpdTimer != null) {
            dpdTimer.cancel();
        }
        if (ikeRekeyTimer != null) {
            ikeRekeyTimer.cancel();
        }
        for (Map.Entry<IkeSa, ExchangeManager> e : managers.entrySet()) {
            e.getValue().stop();
            e.getKey().close();
        }
        managers.clear();
        localIkeSpis.clear();
        transport.close();
    }
}
