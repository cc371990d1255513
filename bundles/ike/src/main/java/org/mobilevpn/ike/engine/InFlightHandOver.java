package org.mobilevpn.ike.engine;

import java.time.Instant;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.IkeRequestInFlight;
import org.mobilevpn.ike.message.ExchangeType;

/**
 * A hand-over in the middle of an exchange of ours (issue 11): the request sent and not yet answered goes to the
 * next engine with the session ({@link IkeRequestInFlight}), which retransmits the same octets under the same
 * message ID on the same schedule (RFC 7296 §2.1, §2.2) and processes the answer, instead of the leaving engine
 * deleting the IKE SA. A retransmission is the same message, so the gateway answers it from its cache if it
 * already processed the first copy, and the exchange completes once whichever engine holds it gets that answer.
 *
 * <p>Which exchanges can go: a liveness check (RFC 7296 §2.4, nothing to process in the answer; a NAT mapping
 * check, RFC 4555 §3.8, goes on as a plain check and the next one looks at the mapping again) and a rekey of one
 * of our Child SAs without PFS (§1.3.3: its keys come from SK_d, which the record carries, and the two nonces).
 * Others (our IKE SA rekey, a Child SA rekey with its Diffie-Hellman private key, DELETE, MOBIKE) are awaited
 * as before.
 */
final class InFlightHandOver {
    private InFlightHandOver() {
    }

    /** {@code f} as data for the next engine, or null when its exchange is not one that can go in flight. */
    static IkeRequestInFlight export(ExchangeManager.InFlight f, Scheduler scheduler) {
        List<Task> tasks = f.exchange().tasks();
        if (tasks.size() != 1) {
            return null;
        }
        Task task = tasks.get(0);
        long now = scheduler.nowMillis();
        Instant wallNow = Instant.now();
        Instant sentAt = wallNow.minusMillis(now - f.sentMillis());
        Instant retransmitAt = wallNow.plusMillis(Math.max(0, f.nextTimerMillis() - now));
        if (isLivenessCheck(task)) {
            return new IkeRequestInFlight(IkeRequestInFlight.Kind.LIVENESS, f.exchange().exchangeType(), f.messageId(),
                    f.packets(), f.attempt(), sentAt, retransmitAt, 0, 0, new byte[0]);
        }
        if (task instanceof ChildRekeyTask r && !r.withKeyExchange()) {
            return new IkeRequestInFlight(IkeRequestInFlight.Kind.CHILD_REKEY, f.exchange().exchangeType(),
                    f.messageId(), f.packets(), f.attempt(), sentAt, retransmitAt, r.old().spiIn, r.newSpiIn(), r.nonce());
        }
        return null;
    }

    static boolean isLivenessCheck(Task task) {
        return task instanceof DpdTask || task instanceof NatMappingCheck;
    }

    /**
     * Whether the restored {@code sa} can go on with {@code r}.
     *
     * @throws IllegalArgumentException if it cannot: a Child SA rekey of a Child SA the record does not hold
     */
    static void check(IkeSa sa, IkeRequestInFlight r) {
        if (r != null && r.kind() == IkeRequestInFlight.Kind.CHILD_REKEY
                && (sa.childByInboundSpi(r.rekeyedChildSpi()) == null || r.exchangeType() != ExchangeType.CREATE_CHILD_SA)) {
            throw new IllegalArgumentException(String.format("the request in flight rekeys Child SA %08x, which the"
                    + " record does not hold", r.rekeyedChildSpi()));
        }
    }

    /** Goes on with {@code r} ({@link #check checked}) on {@code sa}'s exchanges ({@code m}). */
    static void resume(SessionContext ctx, IkeSa sa, ExchangeManager m, IkeRequestInFlight r) {
        long now = ctx.scheduler().nowMillis();
        long sentMillis = now - Math.max(0, java.time.Duration.between(r.sentAt(), Instant.now()).toMillis());
        long nextTimerMillis = now + SessionRecords.until(r.retransmitAt()).toMillis();
        Exchange exchange = switch (r.kind()) {
            case LIVENESS -> DpdTask.exchange(ctx, ctx.config().dpdDelay());
            case CHILD_REKEY -> new Exchange(ExchangeType.CREATE_CHILD_SA, List.of(ChildRekeyTask.sent(ctx, sa,
                    sa.childByInboundSpi(r.rekeyedChildSpi()), r.newChildSpi(), r.nonce())), FailureReason.PEER_GONE);
        };
        for (Task t : exchange.tasks()) {
            if (t instanceof DpdTask d) {
                d.sentAt(sentMillis);
            }
        }
        m.resumeInFlight(exchange, r.messageId(), r.packets(), r.retransmissions(), sentMillis, nextTimerMillis);
    }
}
