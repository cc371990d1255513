package org.mobilevpn.ike.engine;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.PeerText;
import org.mobilevpn.ike.message.EncryptedFragmentPayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.ike.message.IkeParseException;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.PayloadType;

/**
 * Runs the exchanges of one IKE SA (RFC 7296 §2.1-2.3): our requests one at a time (window size 1)
 * with message IDs counting up from 0, retransmitted on the {@link RetransmissionSchedule} until
 * answered; the peer's requests answered in order, a duplicate of the last one answered again from the
 * cache without processing it twice. Protection and fragmentation (RFC 7383) happen here.
 */
final class ExchangeManager {
    private static final int IPV4_UDP_OVERHEAD = 20 + 8;
    private static final int IPV6_UDP_OVERHEAD = 40 + 8;
    private static final int NON_ESP_MARKER = 4;

    private final IkeSa sa;
    private final SessionContext ctx;
    private final MessageProtector protector;
    private final RetransmissionSchedule schedule;
    private final Map<Integer, PeerRequestHandler> handlers;
    private final Deque<Exchange> queue = new ArrayDeque<>();
    private final FragmentReassembler requestFragments = new FragmentReassembler();
    private final FragmentReassembler responseFragments = new FragmentReassembler();

    private Exchange active;
    private int activeId;
    private List<byte[]> activePackets;
    private int attempt;
    /** When the active request was first sent, for its {@link Exchange#giveUpAfter()} bound. */
    private long activeSentMillis;
    private Scheduler.Cancellable timer;
    /** When {@link #timer} fires, on the scheduler's clock. */
    private long timerDueMillis;
    private int nextRequestId;
    private int expectedPeerRequestId;
    private List<byte[]> lastResponsePackets;
    private boolean stopped;
    private long lastReceivedMillis;

    ExchangeManager(IkeSa sa, SessionContext ctx, RetransmissionSchedule schedule,
            Map<Integer, PeerRequestHandler> handlers) {
        this.sa = sa;
        this.ctx = ctx;
        this.protector = new MessageProtector(sa, ctx.random());
        this.schedule = schedule;
        this.handlers = Map.copyOf(handlers);
        this.lastReceivedMillis = ctx.scheduler().nowMillis();
    }

    void queue(Exchange exchange) {
        queue.add(exchange);
        kick();
    }

    /** Runs this exchange next, before those already waiting (MOBIKE's address update). */
    void queueFirst(Exchange exchange) {
        queue.addFirst(exchange);
        kick();
    }

    /** Whether a waiting exchange (not the running one) has a task matching {@code test}. */
    boolean queued(Predicate<Task> test) {
        return queue.stream().anyMatch(e -> e.tasks().stream().anyMatch(test));
    }

    /** Drops everything queued and runs this exchange next (our DELETE when closing). */
    void replaceQueue(Exchange exchange) {
        queue.clear();
        queue.add(exchange);
        kick();
    }

    /** Whether no exchange of ours is running or waiting. */
    boolean idle() {
        return active == null && queue.isEmpty();
    }

    /** Whether a running or queued exchange has a task matching {@code test}. */
    boolean has(Predicate<Task> test) {
        return running(test) || waiting(test);
    }

    /** Whether the exchange sent and not yet answered has a task matching {@code test}. */
    boolean running(Predicate<Task> test) {
        return active != null && active.tasks().stream().anyMatch(test);
    }

    /** Whether an exchange not yet sent has a task matching {@code test}. */
    boolean waiting(Predicate<Task> test) {
        return queue.stream().anyMatch(e -> e.tasks().stream().anyMatch(test));
    }

    long lastReceivedMillis() {
        return lastReceivedMillis;
    }

    /**
     * The message ID state of both directions (RFC 7296 §2.2), for a hand-over between exchanges.
     *
     * @param lastResponse our last answer as sent, empty if none
     */
    record Ids(int nextRequestId, int expectedPeerRequestId, List<byte[]> lastResponse) {
    }

    Ids ids() {
        return new Ids(nextRequestId, expectedPeerRequestId, lastResponsePackets == null ? List.of() : lastResponsePackets);
    }

    /** Goes on where an exported SA's exchanges stood; the gateway was last heard at {@code lastHeardMillis}. */
    void resume(Ids ids, long lastHeardMillis) {
        nextRequestId = ids.nextRequestId();
        expectedPeerRequestId = ids.expectedPeerRequestId();
        lastResponsePackets = ids.lastResponse().isEmpty() ? null : List.copyOf(ids.lastResponse());
        lastReceivedMillis = lastHeardMillis;
    }

    /**
     * Our request sent and not yet answered, as it stands, for a hand-over in the middle of its exchange.
     *
     * @param attempt         how often it was sent again so far
     * @param sentMillis      when it was first sent, on the scheduler's clock
     * @param nextTimerMillis when it is sent again (or given up), on the scheduler's clock
     */
    record InFlight(Exchange exchange, int messageId, List<byte[]> packets, int attempt, long sentMillis,
            long nextTimerMillis) {
    }

    /** The request in flight, or null when none is. */
    InFlight inFlight() {
        return active == null || stopped ? null
                : new InFlight(active, activeId, activePackets, attempt, activeSentMillis, timerDueMillis);
    }

    /** Whether nothing but {@code test} is waiting behind the request in flight (or nothing at all). */
    boolean waitingOnly(Predicate<Task> test) {
        return queue.stream().allMatch(e -> e.tasks().stream().allMatch(test));
    }

    /**
     * Goes on with a request another engine sent and handed over ({@link #inFlight()} there): the same octets
     * under the same message ID, sent again at {@code nextTimerMillis} and on the schedule from there; its answer
     * goes to {@code exchange}'s tasks, which must stand as after building that request.
     */
    void resumeInFlight(Exchange exchange, int messageId, List<byte[]> packets, int attempt, long sentMillis,
            long nextTimerMillis) {
        active = exchange;
        activeId = messageId;
        activePackets = List.copyOf(packets);
        this.attempt = attempt;
        activeSentMillis = sentMillis;
        cancelTimer();
        timerDueMillis = nextTimerMillis;
        timer = ctx.scheduler().schedule(Duration.ofMillis(Math.max(0, nextTimerMillis - ctx.scheduler().nowMillis())),
                this::onTimer);
    }

    /** The transport was replaced: the request in flight goes out again now (same message and ID) over the new one. */
    void resendActive() {
        if (!stopped && active != null) {
            transmit(activePackets);
        }
    }

    /** Cancels the timer and forgets pending work; the manager answers nothing after this. */
    void stop() {
        stopped = true;
        cancelTimer();
        queue.clear();
        active = null;
    }

    private void kick() {
        while (!stopped && active == null && !queue.isEmpty()) {
            Exchange next = queue.poll();
            if (next.tasks().stream().allMatch(Task::obsolete)) {
                continue; // e.g. the rekey of a Child SA the gateway deleted meanwhile
            }
            active = next;
            activeId = nextRequestId;
            sendActive();
        }
    }

    private void sendActive() {
        RequestBuilder request = new RequestBuilder();
        try {
            for (Task t : active.tasks()) {
                t.buildRequest(request);
            }
        } catch (IkeFailureException e) {
            ctx.fail(e.reason(), e.getMessage());
            return;
        }
        IkeHeader header = header(active.exchangeType(), false, activeId);
        if (active.exchangeType() == ExchangeType.IKE_SA_INIT) {
            byte[] packet = IkeMessageCodec.encode(header, request.payloads());
            sa.initRequest = packet;
            activePackets = List.of(packet);
        } else {
            activePackets = protect(header, request.payloads());
        }
        if (ctx.log().isDebugEnabled()) {
            ctx.log().debug("sending " + new IkeMessage(header, request.payloads()) + " in " + activePackets.size() + " datagram(s)");
        }
        attempt = 0;
        activeSentMillis = ctx.scheduler().nowMillis();
        transmit(activePackets);
        armTimer();
    }

    private void armTimer() {
        cancelTimer();
        Duration wait = schedule.waitAfter(attempt);
        Duration left = timeLeft();
        Duration next = left != null && left.compareTo(wait) < 0 ? left : wait;
        timerDueMillis = ctx.scheduler().nowMillis() + next.toMillis();
        timer = ctx.scheduler().schedule(next, this::onTimer);
    }

    /** Time left before the active request's own give-up bound, or null when it has none. */
    private Duration timeLeft() {
        Duration bound = active.giveUpAfter();
        if (bound == null) {
            return null;
        }
        long left = bound.toMillis() - (ctx.scheduler().nowMillis() - activeSentMillis);
        return Duration.ofMillis(Math.max(0, left));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        if (stopped || active == null) {
            return;
        }
        Duration left = timeLeft();
        if (schedule.retransmitAfter(attempt) && (left == null || !left.isZero())) {
            attempt++;
            ctx.log().debug("retransmit " + attempt + " of " + ExchangeType.name(active.exchangeType()) + " #" + activeId);
            transmit(activePackets);
            armTimer();
        } else {
            Exchange gone = active;
            active = null;
            ctx.exchangeTimedOut(sa, gone);
        }
    }

    private void transmit(List<byte[]> packets) {
        for (byte[] p : packets) {
            try {
                ctx.transport().send(p);
            } catch (java.io.IOException e) {
                // Sending may fail while the network is down; the retransmission timer keeps trying.
                ctx.log().warn("send failed: " + e.getMessage());
            }
        }
    }

    private IkeHeader header(int exchangeType, boolean response, int messageId) {
        int flags = (sa.initiator ? IkeHeader.FLAG_INITIATOR : 0) | (response ? IkeHeader.FLAG_RESPONSE : 0);
        return new IkeHeader(sa.spiI, sa.spiR, 0, 2, 0, exchangeType, flags, messageId, 0);
    }

    private List<byte[]> protect(IkeHeader header, List<Payload> payloads) {
        if (sa.peerSupportsFragmentation) {
            return protector.protectFragmented(header, payloads, maxMessageLength());
        }
        return List.of(protector.protect(header, payloads));
    }

    /** RFC 7383 §2.5.1: the fragment size counts the IP datagram, so subtract IP, UDP and the NAT-T marker. */
    private int maxMessageLength() {
        boolean v4 = ctx.transport().remoteEndpoint().getAddress() instanceof Inet4Address;
        int overhead = (v4 ? IPV4_UDP_OVERHEAD : IPV6_UDP_OVERHEAD)
                + (ctx.transport().isOnNatTraversalPort() ? NON_ESP_MARKER : 0);
        return ctx.settings().fragmentSize() - overhead;
    }

    /**
     * A datagram addressed to this IKE SA, from {@code from} as the transport says. Until the datagram passes
     * its integrity check it changes nothing: no failure, no message ID used, no cached response sent again,
     * no liveness refreshed, no remote endpoint moved (RFC 7296 §2.21.2, §2.23).
     */
    void onDatagram(byte[] datagram, IkeHeader header, java.net.InetSocketAddress from) {
        if (stopped) {
            return;
        }
        if (header.isResponse()) {
            onResponse(datagram, header, from);
        } else {
            onRequest(datagram, header, from);
        }
    }

    /** An authenticated message arrived: the peer is alive, and it is where the message came from. */
    private void authenticated(java.net.InetSocketAddress from) {
        lastReceivedMillis = ctx.scheduler().nowMillis();
        ctx.authenticatedMessageFrom(from);
    }

    private void onResponse(byte[] datagram, IkeHeader header, java.net.InetSocketAddress from) {
        if (active == null || header.messageId() != activeId || header.exchangeType() != active.exchangeType()) {
            ctx.log().debug("dropping unexpected response " + header);
            return;
        }
        ReceivedMessage response;
        try {
            response = open(datagram, responseFragments);
        } catch (IntegrityCheckFailedException e) {
            // unauthenticated (an IKE_SA_INIT response too): could be forged, keep waiting for the real one
            ctx.log().debug("dropping response: " + e.getMessage());
            return;
        } catch (IkeParseException e) {
            // Authenticated (it passed the integrity check) yet malformed: the gateway itself is broken. A malformed
            // IDr, AUTH or CERT is the gateway failing to prove who it is.
            boolean credentials = e.payloadType() == PayloadType.IDR || e.payloadType() == PayloadType.AUTH
                    || e.payloadType() == PayloadType.CERT;
            ctx.fail(credentials ? FailureReason.PEER_AUTH_FAILED : FailureReason.INTERNAL,
                    "malformed response from the gateway: " + PeerText.of(e.getMessage()));
            return;
        }
        if (response == null) {
            return; // more fragments to come
        }
        if (header.exchangeType() == ExchangeType.IKE_SA_INIT) {
            lastReceivedMillis = ctx.scheduler().nowMillis(); // nothing to authenticate it with yet
        } else {
            authenticated(from);
        }
        cancelTimer();
        if (header.exchangeType() == ExchangeType.IKE_SA_INIT) {
            sa.initResponse = datagram;
        }
        if (ctx.log().isDebugEnabled()) {
            ctx.log().debug("received " + response.message());
        }
        Exchange exchange = active;
        try {
            for (Task t : exchange.tasks()) {
                if (t.processResponse(response) == Task.Outcome.RETRY) {
                    if (exchange.exchangeType() != ExchangeType.IKE_SA_INIT) {
                        // Only IKE_SA_INIT is repeated under message ID 0 (RFC 7296 §2.6); others are new exchanges.
                        activeId = ++nextRequestId;
                    }
                    sendActive();
                    return;
                }
            }
            nextRequestId++;
            active = null;
            for (Task t : exchange.tasks()) {
                t.completed();
            }
        } catch (IkeFailureException e) {
            if (active != null) {
                nextRequestId++; // the exchange is over, answered: its message ID is used up
            }
            active = null;
            ctx.fail(e.reason(), e.getMessage());
            return;
        }
        kick();
    }

    private void onRequest(byte[] datagram, IkeHeader header, java.net.InetSocketAddress from) {
        int id = header.messageId();
        if (lastResponsePackets != null && id == expectedPeerRequestId - 1) {
            // Only a genuine retransmission of the request earns the cached response again (RFC 7296 §2.1):
            // a forged copy must not make us send, or we would reflect datagrams at whoever it names.
            if (isAuthenticFirstFragmentOrWhole(datagram)) {
                ctx.log().debug("retransmitting response to duplicate request #" + id);
                authenticated(from);
                transmit(lastResponsePackets);
            }
            return;
        }
        if (id != expectedPeerRequestId) {
            ctx.log().debug("dropping request with message ID " + id + ", expected " + expectedPeerRequestId);
            return;
        }
        if (sa.crypto() == null) {
            return; // not before IKE_SA_INIT finished: nothing could be authenticated
        }
        ReceivedMessage request;
        List<Payload> answer;
        Runnable afterSent = () -> { };
        try {
            request = open(datagram, requestFragments);
            if (request == null) {
                return;
            }
            authenticated(from);
            if (ctx.log().isDebugEnabled()) {
                ctx.log().debug("received request " + request.message());
            }
            PeerRequestHandler handler = handlers.get(header.exchangeType());
            if (handler == null) {
                ctx.log().debug("no handler for " + ExchangeType.name(header.exchangeType()) + ", dropping");
                return;
            }
            PeerRequestHandler.Response r = handler.handle(sa, request);
            answer = r.payloads();
            afterSent = r.afterSent();
        } catch (IntegrityCheckFailedException e) {
            ctx.log().debug("dropping request: " + e.getMessage());
            return;
        } catch (IkeParseException e) {
            // Authenticated but malformed: answer with the error (RFC 7296 §2.21.2).
            ctx.log().info("answering malformed request with " + e.getMessage());
            answer = List.of(NotifyPayload.of(e.notifyType(), e.notifyData()));
        } catch (IkeFailureException e) {
            ctx.fail(e.reason(), e.getMessage());
            return;
        }
        IkeHeader responseHeader = header(header.exchangeType(), true, id);
        lastResponsePackets = protect(responseHeader, answer);
        expectedPeerRequestId++;
        if (ctx.log().isDebugEnabled()) {
            ctx.log().debug("answering " + new IkeMessage(responseHeader, answer));
        }
        transmit(lastResponsePackets);
        afterSent.run();
    }

    /** Decodes, decrypts or reassembles; {@code null} while fragments are missing. */
    /**
     * Everything but IKE_SA_INIT is integrity-checked first: a {@link IkeParseException} from here means the
     * peer really sent it; what cannot be parsed far enough to be checked is an {@link IntegrityCheckFailedException}.
     */
    private ReceivedMessage open(byte[] datagram, FragmentReassembler fragments)
            throws IkeParseException, IntegrityCheckFailedException {
        IkeMessage decoded = decodeOuter(datagram);
        if (decoded.header().exchangeType() == ExchangeType.IKE_SA_INIT) {
            return new ReceivedMessage(decoded, datagram);
        }
        if (sa.crypto() == null) {
            throw new IntegrityCheckFailedException("no keys yet");
        }
        EncryptedFragmentPayload skf = decoded.first(EncryptedFragmentPayload.class);
        if (skf != null) {
            byte[] content = protector.unprotectFragment(datagram, skf);
            FragmentReassembler.Reassembled whole = fragments.add(decoded.header().messageId(), skf.fragmentNumber(),
                    skf.totalFragments(), skf.firstInnerType(), content);
            if (whole == null) {
                return null;
            }
            List<Payload> inner = IkeMessageCodec.decodePayloads(whole.firstInnerType(), whole.content(), 0,
                    whole.content().length);
            return new ReceivedMessage(new IkeMessage(decoded.header(), inner), datagram);
        }
        return new ReceivedMessage(protector.unprotect(datagram, decoded), datagram);
    }

    /**
     * Whether the datagram is the peer's own request or its first fragment: it passes the integrity check
     * (decrypted and thrown away, nothing processed).
     */
    private boolean isAuthenticFirstFragmentOrWhole(byte[] datagram) {
        if (sa.crypto() == null) {
            return false;
        }
        try {
            IkeMessage decoded = decodeOuter(datagram);
            EncryptedFragmentPayload skf = decoded.first(EncryptedFragmentPayload.class);
            if (skf != null) {
                return skf.fragmentNumber() == 1 && protector.unprotectFragment(datagram, skf) != null;
            }
            return protector.unprotect(datagram, decoded) != null;
        } catch (IntegrityCheckFailedException | IkeParseException e) {
            return false;
        }
    }

    /**
     * The header and the payloads up to SK/SKF, which are in clear. Nothing here is authenticated, so a
     * parse error is treated like a failed integrity check: dropped, never answered (RFC 7296 §2.21.2).
     */
    private static IkeMessage decodeOuter(byte[] datagram) throws IntegrityCheckFailedException {
        try {
            return IkeMessageCodec.decode(datagram);
        } catch (IkeParseException e) {
            throw new IntegrityCheckFailedException("malformed before the integrity check: " + e.getMessage());
        }
    }

    /** Sends a request without waiting for its answer: the farewell DELETE when failing (RFC 7296 §1.4.1). */
    void sendOneShot(int exchangeType, List<Payload> payloads) {
        if (sa.crypto() == null) {
            return;
        }
        // With a request outstanding, the next ID: a peer with window 1 may ignore it, which is acceptable here.
        int id = active != null ? activeId + 1 : nextRequestId;
        transmit(protect(header(exchangeType, false, id), payloads));
    }
}
