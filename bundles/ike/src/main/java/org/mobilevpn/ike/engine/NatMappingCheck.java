package org.mobilevpn.ike.engine;

import java.time.Duration;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;

/**
 * The liveness check of a MOBIKE session behind a NAT (RFC 4555 §3.8, changes in NAT mappings): an INFORMATIONAL
 * request carrying NAT_DETECTION_SOURCE/DESTINATION_IP. With MOBIKE the gateway no longer follows a new NAT mapping
 * on its own (the implicit update of RFC 7296 §2.23 is not used), so when our NAT forgets its mapping
 * (a router reboot, a UDP timeout) the gateway keeps sending ESP to the dead one while it still answers our checks
 * at the new one. Its answer's NAT_DETECTION_DESTINATION_IP is a hash of where it sent that answer, our mapping as
 * it sees it now: when that differs from the one recorded at the last address update on the same IKE SA (or none
 * is recorded yet), an address update ({@link MobikeUpdateTask}) follows, and moves the SAs to the current mapping.
 * The answer proves the gateway alive like a plain check ({@link DpdTask}).
 */
final class NatMappingCheck implements Task {
    private final SessionContext ctx;
    private final IkeSa sa;
    private long sentMillis;

    private NatMappingCheck(SessionContext ctx, IkeSa sa) {
        this.ctx = ctx;
        this.sa = sa;
    }

    /** Whether a liveness check of {@code sa} should look at the NAT mapping: MOBIKE agreed, a NAT in front of us. */
    static boolean applies(SessionContext ctx, IkeSa sa) {
        return ctx.mobike().agreed() && sa.nat.localBehindNat();
    }

    static Exchange exchange(SessionContext ctx, IkeSa sa, Duration bound) {
        return new Exchange(ExchangeType.INFORMATIONAL, List.of(new NatMappingCheck(ctx, sa)), FailureReason.PEER_GONE,
                bound == null || bound.isZero() ? null : bound);
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        sentMillis = ctx.scheduler().nowMillis();
        NatDetectionTask.notifies(ctx, sa.spiI, sa.spiR).forEach(request::add);
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) {
        NotifyPayload seen = response.message().notify(NotifyType.NAT_DETECTION_DESTINATION_IP);
        if (seen != null && !ctx.mobike().sameMapping(sa, seen.data())) {
            ctx.log().info(sa + ": the gateway now sees us at another NAT mapping; updating the SA addresses");
            ctx.queue(sa, MobikeUpdateTask.mappingRefresh(ctx, sa));
        }
        return Outcome.DONE;
    }

    @Override
    public void completed() {
        ctx.events().livenessChecked(Duration.ofMillis(ctx.scheduler().nowMillis() - sentMillis));
    }
}
