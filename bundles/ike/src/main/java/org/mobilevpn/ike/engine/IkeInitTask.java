package org.mobilevpn.ike.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.InvalidKeyExchangeException;
import org.mobilevpn.ike.crypto.KeyExchange;
import org.mobilevpn.ike.keys.IkeKeyDerivation;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.KePayload;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.proposal.ChosenProposalCheck;
import org.mobilevpn.ike.proposal.IkeTransforms;
import org.mobilevpn.ike.proposal.ProposalMismatchException;
import org.mobilevpn.ike.proposal.ProposalSpec;

/**
 * IKE_SA_INIT negotiation (RFC 7296 §1.2, §2.14): offers our proposals with SA, KE and Ni, checks the
 * chosen proposal, computes g^ir and derives SKEYSEED and the SK_* keys. The key exchange group can be
 * changed between attempts by {@link InvalidKeRetryTask}.
 */
final class IkeInitTask implements Task {
    static final int NONCE_LENGTH = 32;

    private final SessionContext ctx;
    private final IkeSa sa;
    private KeyExchangeMethod group;
    private KeyExchange keyExchange;
    private byte[] nonce;

    IkeInitTask(SessionContext ctx, IkeSa sa) {
        this.ctx = ctx;
        this.sa = sa;
        this.group = ctx.ikeProposals().get(0).keyExchange().get(0);
    }

    KeyExchangeMethod group() {
        return group;
    }

    /** Whether we offered {@code method} in any proposal. */
    boolean offers(KeyExchangeMethod method) {
        return ctx.ikeProposals().stream().anyMatch(p -> p.keyExchange().contains(method));
    }

    /** The next attempt uses this group (INVALID_KE_PAYLOAD, RFC 7296 §1.2). */
    void useGroup(KeyExchangeMethod method) {
        group = method;
        if (keyExchange != null) {
            keyExchange.close();
            keyExchange = null;
        }
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        if (sa.spiI == 0) {
            sa.spiI = ctx.allocateIkeSpi();
        }
        if (nonce == null) {
            nonce = new byte[NONCE_LENGTH];
            ctx.random().nextBytes(nonce);
        }
        if (keyExchange == null) {
            keyExchange = CryptoFactory.keyExchange(group, ctx.random());
        }
        List<Proposal> proposals = new ArrayList<>();
        int number = 1;
        for (ProposalSpec p : ctx.ikeProposals()) {
            // Put the group of our KE payload first wherever it is offered (as strongSwan does).
            proposals.add(p.preferring(group).toProposal(number++, new byte[0]));
        }
        request.add(new SaPayload(proposals));
        request.add(new KePayload(group.ianaId(), keyExchange.publicValue()));
        request.add(new NoncePayload(nonce));
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        IkeMessage m = response.message();
        NotifyPayload error = m.firstError();
        if (error != null) {
            if (error.notifyType() == NotifyType.NO_PROPOSAL_CHOSEN) {
                throw new IkeFailureException(FailureReason.NO_PROPOSAL_CHOSEN,
                        "the gateway accepted none of proposals " + ctx.config().ikeProposals());
            }
            throw new IkeFailureException(FailureReason.INTERNAL,
                    "the gateway answered IKE_SA_INIT with " + NotifyType.name(error.notifyType()));
        }
        SaPayload saPayload = m.first(SaPayload.class);
        KePayload ke = m.first(KePayload.class);
        NoncePayload nr = m.first(NoncePayload.class);
        if (saPayload == null || ke == null || nr == null || m.header().responderSpi() == 0) {
            throw new IkeFailureException(FailureReason.INTERNAL, "IKE_SA_INIT response lacks SA, KE, Nr or SPIr");
        }
        IkeTransforms chosen;
        try {
            chosen = ChosenProposalCheck.ike(ctx.ikeProposals(), saPayload);
        } catch (ProposalMismatchException e) {
            throw new IkeFailureException(FailureReason.NO_PROPOSAL_CHOSEN, "gateway chose badly: " + e.getMessage());
        }
        if (chosen.keyExchange() != group || ke.group() != group.ianaId()) {
            throw new IkeFailureException(FailureReason.INTERNAL,
                    "gateway chose " + chosen.keyExchange() + " but our KE payload is " + group);
        }
        byte[] sharedSecret;
        try {
            sharedSecret = keyExchange.sharedSecret(ke.keyData());
        } catch (InvalidKeyExchangeException e) {
            throw new IkeFailureException(FailureReason.INTERNAL, "gateway's KE payload: " + e.getMessage());
        } finally {
            keyExchange.close();
        }
        sa.spiR = m.header().responderSpi();
        sa.nonceI = nonce;
        sa.nonceR = nr.nonce();
        sa.negotiated(IkeCrypto.derive(chosen, prf -> IkeKeyDerivation.skeyseed(prf, sa.nonceI, sa.nonceR, sharedSecret),
                sa.nonceI, sa.nonceR, sa.spiI, sa.spiR));
        Arrays.fill(sharedSecret, (byte) 0);
        ctx.log().info(sa + " keys derived: " + chosen);
        return Outcome.DONE;
    }
}
