package org.mobilevpn.ike.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.Payload;

/**
 * The MOBIKE parts of the gateway's INFORMATIONAL requests, answered as responder (RFC 4555): a COOKIE2 is returned
 * as it came (§3.8, a return routability check of our address); NAT detection notifications are answered with ours
 * (§3.5); ADDITIONAL_IP4/6_ADDRESS or NO_ADDITIONAL_ADDRESSES replace what we know of the gateway's other addresses
 * (§3.4); UPDATE_SA_ADDRESSES moves the IKE SA and its Child SAs to where the (authenticated) request came from
 * (§3.5; the standard leaves this to the original initiator, but a gateway that sends it is followed rather than
 * ignored). Nothing here applies unless MOBIKE was agreed.
 */
final class MobikeResponder {
    private MobikeResponder() {
    }

    /** The payloads our answer adds; what to do once it has been sent goes into {@code after}. */
    static List<Payload> answer(SessionContext ctx, IkeSa sa, IkeMessage request, List<Runnable> after) {
        MobikeState mobike = ctx.mobike();
        if (!mobike.agreed()) {
            return List.of();
        }
        List<Payload> out = new ArrayList<>();
        boolean update = request.notify(NotifyType.UPDATE_SA_ADDRESSES) != null;
        InetSocketAddress from = mobike.lastAuthenticatedSource();
        if (update && from != null && !from.equals(ctx.transport().remoteEndpoint())) {
            ctx.log().info(sa + ": the gateway moved to " + from);
            ctx.transport().setRemoteEndpoint(from); // our answer goes there already
        }
        if (request.notify(NotifyType.NAT_DETECTION_DESTINATION_IP) != null) {
            NatState nat = NatDetectionTask.evaluate(ctx, request, sa.spiI, sa.spiR, ctx.transport().localEndpoint());
            out.addAll(NatDetectionTask.notifies(ctx, sa.spiI, sa.spiR));
            if (nat != null && update) {
                sa.nat = nat;
            }
        }
        NotifyPayload cookie2 = request.notify(NotifyType.COOKIE2);
        if (cookie2 != null) {
            out.add(NotifyPayload.of(NotifyType.COOKIE2, cookie2.data()));
        }
        List<InetAddress> addresses = MobikeSupportTask.additionalAddresses(request);
        if (addresses != null) {
            mobike.gatewayAddresses(addresses);
        }
        if (update) {
            InetSocketAddress local = ctx.transport().localEndpoint();
            InetSocketAddress remote = ctx.transport().remoteEndpoint();
            NatState nat = sa.nat;
            after.add(() -> ctx.events().ikeSaMoved(local, remote, nat));
        }
        return out;
    }
}
