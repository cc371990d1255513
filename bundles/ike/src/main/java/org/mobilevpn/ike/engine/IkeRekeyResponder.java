package org.mobilevpn.ike.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.InvalidKeyExchangeException;
import org.mobilevpn.ike.crypto.KeyExchange;
import org.mobilevpn.ike.engine.PeerRequestHandler.Response;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.KePayload;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.OctetWriter;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.proposal.ProposalSelector;

/**
 * The responder half of IKE SA rekeying (RFC 7296 §1.3.2, §2.18), next to {@link IkeRekeyTask}, its
 * initiator half: the gateway's CREATE_CHILD_SA with an IKE proposal creates the new SA, whose initiator
 * is the gateway. An SA we are retiring, deleting or have already seen replaced, or one with a Child SA
 * exchange of ours in flight, gets TEMPORARY_FAILURE
 * (§2.25.2); while our own rekey is in flight, {@link IkeRekeyCollision} decides which new SA survives
 * (§2.8.2).
 */
final class IkeRekeyResponder {
    private final SessionContext ctx;

    IkeRekeyResponder(SessionContext ctx) {
        this.ctx = ctx;
    }

    /** Answers the gateway's rekey of {@code sa}; {@code offer} (an IKE proposal) and {@code ni} are present. */
    Response answer(IkeSa sa, IkeMessage m, SaPayload offer, NoncePayload ni) {
        if (sa != ctx.currentSa() || sa.state().goingAway() || sa.replacedByPeer != null) {
            return Response.error(NotifyType.TEMPORARY_FAILURE); // an SA we are closing (RFC 7296 §2.25.2)
        }
        if (ctx.childExchangeInFlight(sa)) {
            // RFC 7296 §2.25.2: not while we create, rekey or close a Child SA of this IKE SA. Taken, its answer
            // would come back on the retired IKE SA after the Child SAs moved on, and be lost.
            return Response.error(NotifyType.TEMPORARY_FAILURE);
        }
        KePayload ke = m.first(KePayload.class);
        if (ke == null) {
            return Response.error(NotifyType.INVALID_SYNTAX);
        }
        ProposalSelector.IkeChoice choice = ProposalSelector.selectIke(ctx.ikeProposals(), offer, ke.group());
        if (choice == null) {
            return Response.error(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        if (choice.peerProposal().spi().length != 8) {
            return Response.error(NotifyType.INVALID_SYNTAX); // a rekeyed IKE SA needs the initiator's new SPI (§1.3.2)
        }
        byte[] nr = CreateChildResponder.nonce(ctx);
        byte[] sharedSecret;
        KePayload ourKe;
        try (KeyExchange ours = CryptoFactory.keyExchange(choice.transforms().keyExchange(), ctx.random())) {
            ourKe = new KePayload(ours.method().ianaId(), ours.publicValue());
            sharedSecret = ours.sharedSecret(ke.keyData());
        } catch (InvalidKeyExchangeException e) {
            return Response.error(NotifyType.INVALID_SYNTAX);
        }
        long spiR = ctx.allocateIkeSpi(); // ours from here on: the gateway's next message may use it
        List<Payload> answer = new ArrayList<>();
        answer.add(new SaPayload(List.of(new Proposal(choice.peerProposal().number(), ProtocolId.IKE,
                new OctetWriter(8).u64(spiR).toByteArray(), choice.chosen()))));
        answer.add(new NoncePayload(nr));
        answer.add(ourKe);
        // The gateway initiated the rekey, so it is the initiator of the new IKE SA (RFC 7296 §2.18).
        IkeSa replacement = new IkeSa(false);
        replacement.spiI = java.nio.ByteBuffer.wrap(choice.peerProposal().spi()).getLong();
        replacement.spiR = spiR;
        IkeRekeyTask.deriveRekeyed(sa, replacement, choice.transforms(), sharedSecret, ni.nonce(), nr);
        Arrays.fill(sharedSecret, (byte) 0);
        return new Response(answer, () -> {
            if (sa.state() == IkeSaState.REKEYING) {
                IkeRekeyCollision.theirsAnswered(ctx, sa, replacement); // ours decides when it completes
            } else {
                ctx.ikeSaReplaced(sa, replacement, false);
            }
        });
    }
}
