package org.mobilevpn.ike.engine;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;

/**
 * Our address update (RFC 4555 §3.5): an INFORMATIONAL request from the new address with UPDATE_SA_ADDRESSES,
 * fresh NAT_DETECTION_SOURCE/DESTINATION_IP for the new endpoints, and a COOKIE2 (§3.8) that the gateway must return
 * (a return routability check: the answer reached us on the new path). The gateway's answer carries its NAT
 * detection, which gives the NAT state of the new path (a NAT may have appeared; ESP is in UDP anyway). Once
 * answered, the IKE SA and its Child SAs use the new addresses with the same SPIs. Unanswered within
 * {@code dpd_delay} (or the retransmission schedule without one) the session fails as with a dead gateway.
 */
final class MobikeUpdateTask implements Task {
    private static final int COOKIE2_LENGTH = 16;

    private final SessionContext ctx;
    private final IkeSa sa;
    /** A move of ours (always reported), or a refresh after a NAT mapping change, reported when one was known. */
    private final boolean reportMove;
    private byte[] cookie2;
    private InetSocketAddress local;
    private InetSocketAddress remote;

    private MobikeUpdateTask(SessionContext ctx, IkeSa sa, boolean reportMove) {
        this.ctx = ctx;
        this.sa = sa;
        this.reportMove = reportMove;
    }

    /** The update after a move of ours to new addresses. */
    static Exchange exchange(SessionContext ctx, IkeSa sa) {
        return exchange(new MobikeUpdateTask(ctx, sa, true));
    }

    /**
     * The update that moves the SAs to our current NAT mapping ({@link NatMappingCheck}): reported as a move when the
     * gateway had agreed to another mapping on this IKE SA, not when none was known yet (then it only makes sure).
     */
    static Exchange mappingRefresh(SessionContext ctx, IkeSa sa) {
        return exchange(new MobikeUpdateTask(ctx, sa, ctx.mobike().mappingKnown(sa)));
    }

    private static Exchange exchange(MobikeUpdateTask task) {
        Duration bound = task.ctx.config().dpdDelay();
        return new Exchange(ExchangeType.INFORMATIONAL, List.of(task), FailureReason.PEER_GONE, bound.isZero() ? null : bound);
    }

    /** Built when sent: the addresses are those of the latest move, however many came while it waited. */
    @Override
    public void buildRequest(RequestBuilder request) {
        local = ctx.transport().localEndpoint();
        remote = ctx.transport().remoteEndpoint();
        request.add(NotifyPayload.of(NotifyType.UPDATE_SA_ADDRESSES));
        cookie2 = new byte[COOKIE2_LENGTH];
        ctx.random().nextBytes(cookie2);
        request.add(NotifyPayload.of(NotifyType.COOKIE2, cookie2));
        NatDetectionTask.notifies(ctx, sa.spiI, sa.spiR).forEach(request::add);
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        IkeMessage m = response.message();
        NotifyPayload error = m.firstError();
        if (error != null) {
            throw new IkeFailureException(FailureReason.UNREACHABLE, "the gateway refused our new address "
                    + local.getAddress().getHostAddress() + " with " + NotifyType.name(error.notifyType()));
        }
        NotifyPayload returned = m.notify(NotifyType.COOKIE2);
        if (returned == null || !MessageDigest.isEqual(returned.data(), cookie2)) {
            throw new IkeFailureException(FailureReason.PEER_AUTH_FAILED,
                    "the gateway's answer to our address update does not return our COOKIE2 (RFC 4555 §3.8)");
        }
        NotifyPayload mapping = m.notify(NotifyType.NAT_DETECTION_DESTINATION_IP);
        if (mapping != null) {
            ctx.mobike().mappingAgreed(sa, mapping.data());
        }
        NatState nat = NatDetectionTask.evaluate(ctx, m, sa.spiI, sa.spiR, local);
        if (nat != null) {
            sa.nat = nat;
        }
        List<java.net.InetAddress> addresses = MobikeSupportTask.additionalAddresses(m);
        if (addresses != null) {
            ctx.mobike().gatewayAddresses(addresses);
        }
        return Outcome.DONE;
    }

    @Override
    public void completed() {
        if (!reportMove) {
            ctx.log().debug(sa + " the gateway uses our current NAT mapping");
            return;
        }
        ctx.log().info(sa + " moved to " + local + " -> " + remote + ", NAT: " + sa.nat);
        ctx.events().ikeSaMoved(local, remote, sa.nat);
    }
}
