package org.mobilevpn.ike.engine;

import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.keys.ChildSaSecrets;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.PayloadType;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.message.TsPayload;
import org.mobilevpn.ike.proposal.ChosenProposalCheck;
import org.mobilevpn.ike.proposal.EspTransforms;
import org.mobilevpn.ike.proposal.ProposalMismatchException;
import org.mobilevpn.ike.proposal.ProposalSpec;

/**
 * The first Child SA, created inside IKE_AUTH (RFC 7296 §1.2, §2.17): SAi2 with our ESP proposals (no
 * KE: its keys come from the IKE_SA_INIT nonces), TSi and TSr; accepts narrowed selectors.
 */
final class ChildCreateTask implements Task {
    private final SessionContext ctx;
    private final IkeSa sa;
    private int spiIn;

    ChildCreateTask(SessionContext ctx, IkeSa sa) {
        this.ctx = ctx;
        this.sa = sa;
    }

    static byte[] spiBytes(int spi) {
        return new byte[] {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
    }

    static SaPayload espOffer(List<ProposalSpec> specs, int spiIn) {
        List<Proposal> proposals = new ArrayList<>();
        int n = 1;
        for (ProposalSpec p : specs) {
            proposals.add(p.toProposal(n++, spiBytes(spiIn)));
        }
        return new SaPayload(proposals);
    }

    static List<ProposalSpec> withoutKeyExchange(List<ProposalSpec> specs) {
        return specs.stream().map(ProposalSpec::withoutKeyExchange).toList();
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        spiIn = ctx.allocateChildSpi();
        request.add(espOffer(withoutKeyExchange(ctx.espProposals()), spiIn));
        request.add(new TsPayload(true, ctx.config().localTs()));
        request.add(new TsPayload(false, ctx.config().remoteTs()));
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        IkeMessage m = response.message();
        NotifyPayload error = m.firstError();
        if (error != null) {
            throw NotifyErrors.failure(error.notifyType(), "the Child SA in IKE_AUTH");
        }
        SaPayload saPayload = m.first(SaPayload.class);
        TsPayload tsi = (TsPayload) m.first(PayloadType.TSI);
        TsPayload tsr = (TsPayload) m.first(PayloadType.TSR);
        if (saPayload == null || tsi == null || tsr == null) {
            throw new IkeFailureException(FailureReason.INTERNAL, "IKE_AUTH response lacks SA, TSi or TSr");
        }
        EspTransforms t;
        try {
            t = ChosenProposalCheck.esp(withoutKeyExchange(ctx.espProposals()), saPayload, false);
        } catch (ProposalMismatchException e) {
            throw new IkeFailureException(FailureReason.NO_PROPOSAL_CHOSEN, "gateway chose badly: " + e.getMessage());
        }
        ChildSelectors.checkNarrowed(ctx.config().localTs(), tsi.selectors(), "TSi");
        ChildSelectors.checkNarrowed(ctx.config().remoteTs(), tsr.selectors(), "TSr");
        ChildSaSecrets keys = ChildKeys.derive(sa, t, null, sa.nonceI, sa.nonceR);
        ChildSa child = new ChildSa(spiIn, t.peerSpi(), t, keys, true, tsi.selectors(), tsr.selectors());
        ctx.childSaReady(sa, child, null);
        return Outcome.DONE;
    }
}
