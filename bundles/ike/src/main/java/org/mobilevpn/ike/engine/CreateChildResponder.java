package org.mobilevpn.ike.engine;

import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;

/**
 * Sorts the gateway's CREATE_CHILD_SA requests (RFC 7296 §1.3) to the mechanism that answers them:
 * rekeying a Child SA (§1.3.3, REKEY_SA) to {@link ChildRekeyResponder}, rekeying the IKE SA (§1.3.2) to
 * {@link IkeRekeyResponder}. Requests for additional Child SAs get NO_ADDITIONAL_SAS (a remote-access
 * client has one).
 */
final class CreateChildResponder implements PeerRequestHandler {
    private final ChildRekeyResponder childRekey;
    private final IkeRekeyResponder ikeRekey;

    CreateChildResponder(SessionContext ctx) {
        this.childRekey = new ChildRekeyResponder(ctx);
        this.ikeRekey = new IkeRekeyResponder(ctx);
    }

    @Override
    public Response handle(IkeSa sa, ReceivedMessage request) throws IkeFailureException {
        IkeMessage m = request.message();
        SaPayload offer = m.first(SaPayload.class);
        NoncePayload ni = m.first(NoncePayload.class);
        if (offer == null || ni == null) {
            return Response.error(NotifyType.INVALID_SYNTAX);
        }
        NotifyPayload rekey = m.notify(NotifyType.REKEY_SA);
        if (rekey != null && rekey.protocolId() == ProtocolId.ESP) {
            return childRekey.answer(sa, m, rekey, offer, ni);
        }
        if (rekey == null && !offer.proposals().isEmpty() && offer.proposals().get(0).protocolId() == ProtocolId.IKE) {
            return ikeRekey.answer(sa, m, offer, ni);
        }
        return Response.error(NotifyType.NO_ADDITIONAL_SAS);
    }

    /** Our nonce for an exchange the gateway started (RFC 7296 §2.10). */
    static byte[] nonce(SessionContext ctx) {
        byte[] n = new byte[IkeInitTask.NONCE_LENGTH];
        ctx.random().nextBytes(n);
        return n;
    }
}
