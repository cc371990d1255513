package org.mobilevpn.ike.engine;

import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.ProtocolId;

/**
 * Answers the gateway's INFORMATIONAL requests (RFC 7296 §1.4, §1.5): an empty one is a liveness check
 * and gets an empty answer; Delete(IKE) ends the session (or retires an old IKE SA) once answered;
 * Delete(ESP) removes those Child SAs and is answered with our SPIs of them (§1.4.1); MOBIKE's notifications are
 * answered by {@link MobikeResponder}.
 */
final class InformationalResponder implements PeerRequestHandler {
    private final SessionContext ctx;

    InformationalResponder(SessionContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Response handle(IkeSa sa, ReceivedMessage request) throws IkeFailureException {
        IkeMessage m = request.message();
        if (m.notify(NotifyType.AUTHENTICATION_FAILED) != null) {
            throw new IkeFailureException(FailureReason.AUTH_FAILED, "the gateway reports our authentication failed");
        }
        List<Integer> ours = new ArrayList<>();
        List<ChildSa> gone = new ArrayList<>();
        for (DeletePayload d : m.all(DeletePayload.class)) {
            if (d.protocolId() == ProtocolId.IKE) {
                ctx.log().info(sa + " deleted by the gateway");
                return new Response(List.of(), () -> {
                    if (sa == ctx.currentSa()) {
                        if (!IkeRekeyCollision.oldDeletedByPeer(ctx, sa)) {
                            ctx.endDeleted(true);
                        }
                    } else {
                        ctx.retiredSaGone(sa);
                    }
                });
            }
            if (d.protocolId() == ProtocolId.ESP) {
                for (int spi : d.spis()) {
                    ChildSa child = sa.childByOutboundSpi(spi);
                    if (child != null && !gone.contains(child)) {
                        gone.add(child);
                        ours.add(child.spiIn);
                    }
                }
            }
        }
        for (ChildSa child : gone) {
            ctx.log().info(child + " deleted by the gateway");
            ctx.childSaGone(sa, child, true);
        }
        List<Payload> answer = new ArrayList<>();
        if (!ours.isEmpty()) {
            answer.add(new DeletePayload(ProtocolId.ESP, ours));
        }
        for (NotifyPayload n : m.all(NotifyPayload.class)) {
            ctx.log().debug("gateway notifies " + n);
        }
        List<Runnable> after = new ArrayList<>();
        answer.addAll(MobikeResponder.answer(ctx, sa, m, after));
        return new Response(answer, () -> after.forEach(Runnable::run));
    }
}
