package org.mobilevpn.ike.engine;

import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;

/**
 * IKE fragmentation negotiation (RFC 7383 §2.3): IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT; only if
 * both sides send it are later messages fragmented.
 */
final class FragmentationSupportTask implements Task {
    private final SessionContext ctx;
    private final IkeSa sa;

    FragmentationSupportTask(SessionContext ctx, IkeSa sa) {
        this.ctx = ctx;
        this.sa = sa;
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        if (ctx.settings().fragmentation()) {
            request.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
        }
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) {
        sa.peerSupportsFragmentation = ctx.settings().fragmentation()
                && response.message().notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED) != null;
        return Outcome.DONE;
    }
}
