package org.mobilevpn.ike.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.InvalidKeyExchangeException;
import org.mobilevpn.ike.crypto.KeyExchange;
import org.mobilevpn.ike.engine.PeerRequestHandler.Response;
import org.mobilevpn.ike.keys.ChildSaSecrets;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.KePayload;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.PayloadType;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.message.TsPayload;
import org.mobilevpn.ike.proposal.ProposalSelector;

/**
 * The responder half of Child SA rekeying (RFC 7296 §1.3.3, §2.8), next to {@link ChildRekeyTask}, its
 * initiator half: the gateway's CREATE_CHILD_SA with REKEY_SA gets a new SA with the old one's selectors.
 * An SA we are deleting (or whose IKE SA we are deleting) gets TEMPORARY_FAILURE (§2.25.1); one we are
 * rekeying ourselves is rekeyed anyway and {@link ChildRekeyTask} sorts out the redundant SA by nonces
 * (§2.8.1).
 */
final class ChildRekeyResponder {
    private final SessionContext ctx;

    ChildRekeyResponder(SessionContext ctx) {
        this.ctx = ctx;
    }

    /** Answers the gateway's rekey of the Child SA {@code rekey} names; {@code offer} and {@code ni} are present. */
    Response answer(IkeSa sa, IkeMessage m, NotifyPayload rekey, SaPayload offer, NoncePayload ni)
            throws IkeFailureException {
        byte[] spiBytes = rekey.spi();
        if (spiBytes.length != 4) {
            return Response.error(NotifyType.INVALID_SYNTAX);
        }
        // The REKEY_SA SPI is the one the gateway receives with, i.e. our outbound SPI (RFC 7296 §1.3.3).
        ChildSa old = sa.childByOutboundSpi(java.nio.ByteBuffer.wrap(spiBytes).getInt());
        if (old == null) {
            return new Response(List.of(new NotifyPayload(ProtocolId.ESP, spiBytes, NotifyType.CHILD_SA_NOT_FOUND, new byte[0])),
                    () -> { });
        }
        if (old.retiring && old.rekeying == null || sa.state() == IkeSaState.DELETING) {
            return Response.error(NotifyType.TEMPORARY_FAILURE); // we are deleting it or its IKE SA (§2.25.1)
        }
        KePayload ke = m.first(KePayload.class);
        ProposalSelector.EspChoice choice = ProposalSelector.selectEsp(ctx.espProposals(), offer, ke == null ? null : ke.group());
        if (choice == null) {
            // With PFS on both sides but another group in their KE payload, ask for ours (RFC 7296 §1.3).
            org.mobilevpn.api.ipsec.KeyExchangeMethod preferred = ctx.espProposals().stream()
                    .flatMap(p -> p.keyExchange().stream()).findFirst().orElse(null);
            boolean theyOfferPreferred = preferred != null && offer.proposals().stream()
                    .anyMatch(p -> p.transforms(org.mobilevpn.ike.message.Transform.TYPE_KE).stream()
                            .anyMatch(t -> t.id() == preferred.ianaId()));
            if (ke != null && theyOfferPreferred && ke.group() != preferred.ianaId()) {
                return invalidKe(preferred);
            }
            return Response.error(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        TsPayload tsi = (TsPayload) m.first(PayloadType.TSI);
        TsPayload tsr = (TsPayload) m.first(PayloadType.TSR);
        if (tsi == null || tsr == null) {
            return Response.error(NotifyType.INVALID_SYNTAX);
        }
        byte[] nr = CreateChildResponder.nonce(ctx);
        List<Payload> answer = new ArrayList<>();
        int spiIn = ctx.allocateChildSpi();
        answer.add(new SaPayload(List.of(new Proposal(choice.peerProposal().number(), ProtocolId.ESP,
                ChildCreateTask.spiBytes(spiIn), choice.chosen()))));
        answer.add(new NoncePayload(nr));
        byte[] sharedSecret = null;
        if (choice.transforms().keyExchange() != null) {
            try (KeyExchange ours = CryptoFactory.keyExchange(choice.transforms().keyExchange(), ctx.random())) {
                answer.add(new KePayload(ours.method().ianaId(), ours.publicValue()));
                sharedSecret = ours.sharedSecret(ke.keyData());
            } catch (InvalidKeyExchangeException e) {
                return Response.error(NotifyType.INVALID_SYNTAX);
            }
        }
        // We answer with the gateway's (already agreed) selectors of the SA being rekeyed.
        answer.add(new TsPayload(true, tsi.selectors()));
        answer.add(new TsPayload(false, tsr.selectors()));
        // The gateway initiated this exchange: its nonce is Ni, and "initiator" keys are its outbound keys.
        ChildSaSecrets keys = ChildKeys.derive(sa, choice.transforms(), sharedSecret, ni.nonce(), nr);
        if (sharedSecret != null) {
            Arrays.fill(sharedSecret, (byte) 0);
        }
        ChildSa replacement = new ChildSa(spiIn, choice.transforms().peerSpi(), choice.transforms(), keys, false,
                old.localTs, old.remoteTs);
        replacement.nonces = new byte[][] {ni.nonce(), nr};
        if (old.rekeying != null) {
            old.replacedByPeer = replacement; // collision: resolved when our own rekey completes
        } else {
            old.retiring = true; // the gateway deletes the old SA next
        }
        // Reported before the answer leaves: the gateway may send with the new SA as soon as it has the answer.
        ctx.childSaReady(sa, replacement, old.spiIn);
        return Response.of(answer);
    }

    private static Response invalidKe(org.mobilevpn.api.ipsec.KeyExchangeMethod preferred) {
        if (preferred == null) {
            return Response.error(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        int id = preferred.ianaId();
        return Response.of(List.of(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD, new byte[] {(byte) (id >>> 8), (byte) id})));
    }
}
