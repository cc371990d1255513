package org.mobilevpn.ike.engine;

import java.time.Duration;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.ExchangeType;

/**
 * Liveness check (RFC 7296 §2.4): an empty INFORMATIONAL request. An answer proves the gateway alive;
 * none after all retransmissions means it is gone (PEER_GONE). The check gives up after at most one
 * {@code dpd_delay}, however long the retransmission schedule would wait (strongSwan's defaults: 165 s),
 * so a dead gateway is known within two {@code dpd_delay}s of its last sign of life and the connection
 * can be rebuilt (a lost NAT mapping looks the same). An answered check reports its round-trip time, from
 * the request's first transmission, so a retransmitted check shows as the longer time it really took.
 */
final class DpdTask implements Task {
    private final SessionContext ctx;
    private long sentMillis;

    private DpdTask(SessionContext ctx) {
        this.ctx = ctx;
    }

    /** An unanswered check means PEER_GONE after the retransmission schedule or {@code bound}, the shorter. */
    static Exchange exchange(SessionContext ctx, Duration bound) {
        return new Exchange(ExchangeType.INFORMATIONAL, List.of(new DpdTask(ctx)), FailureReason.PEER_GONE,
                bound == null || bound.isZero() ? null : bound);
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        sentMillis = ctx.scheduler().nowMillis(); // built once per exchange; retransmissions reuse the packets
    }

    /** Its request was sent at {@code millis} by another engine, which handed it over in flight. */
    void sentAt(long millis) {
        sentMillis = millis;
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) {
        return Outcome.DONE;
    }

    @Override
    public void completed() {
        ctx.events().livenessChecked(Duration.ofMillis(ctx.scheduler().nowMillis() - sentMillis));
    }
}
