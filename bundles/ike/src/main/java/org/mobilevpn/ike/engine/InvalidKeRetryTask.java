package org.mobilevpn.ike.engine;

import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.proposal.ChosenProposalCheck;

/**
 * INVALID_KE_PAYLOAD (RFC 7296 §1.2, §3.10.1): the gateway wants another of the groups we offered; the
 * IKE_SA_INIT is sent again with a KE payload of that group. A group we did not offer, or the same
 * group again, fails the session.
 */
final class InvalidKeRetryTask implements Task {
    private final IkeInitTask init;

    InvalidKeRetryTask(IkeInitTask init) {
        this.init = init;
    }

    @Override
    public void buildRequest(RequestBuilder request) {
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        NotifyPayload n = response.message().notify(NotifyType.INVALID_KE_PAYLOAD);
        if (n == null) {
            return Outcome.DONE;
        }
        byte[] data = n.data();
        if (data.length != 2) {
            throw new IkeFailureException(FailureReason.INTERNAL, "INVALID_KE_PAYLOAD without a group");
        }
        int id = (data[0] & 0xff) << 8 | data[1] & 0xff;
        KeyExchangeMethod wanted = ChosenProposalCheck.keyExchangeById(id);
        if (wanted == null || !init.offers(wanted) || wanted == init.group()) {
            throw new IkeFailureException(FailureReason.NO_PROPOSAL_CHOSEN,
                    "gateway requests key exchange group " + id + ", which we did not offer");
        }
        init.useGroup(wanted);
        return Outcome.RETRY;
    }
}
