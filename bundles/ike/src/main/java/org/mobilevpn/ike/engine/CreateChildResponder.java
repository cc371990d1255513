package org.mobilevpn.ike.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.InvalidKeyExchangeException;
import org.mobilevpn.ike.crypto.KeyExchange;
import org.mobilevpn.ike.keys.ChildSaSecrets;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.KePayload;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.OctetWriter;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.PayloadType;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.message.TsPayload;
import org.mobilevpn.ike.proposal.ProposalSelector;

/**
 * Answers the gateway's CREATE_CHILD_SA requests (RFC 7296 §1.3): rekeying a Child SA (§1.3.3, REKEY_SA)
 * or the IKE SA (§1.3.2), as responder; requests for additional Child SAs get NO_ADDITIONAL_SAS (a
 * remote-access client has one). Collisions follow §2.25: an SA we are deleting gets TEMPORARY_FAILURE,
 * a Child SA we are rekeying is rekeyed anyway and the redundant one sorted out by nonces (§2.8.1), and so
 * is an IKE rekey while ours is in flight ({@link IkeRekeyCollision}, §2.8.2); an IKE SA we have already
 * replaced gets TEMPORARY_FAILURE (§2.25.2).
 */
final class CreateChildResponder implements PeerRequestHandler {
    private final SessionContext ctx;

    CreateChildResponder(SessionContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Response handle(IkeSa sa, ReceivedMessage request) throws IkeFailureException {
        IkeMessage m = request.message();
        SaPayload offer = m.first(SaPayload.class);
        NoncePayload ni = m.first(NoncePayload.class);
        if (offer == null || ni == null) {
            return error(NotifyType.INVALID_SYNTAX);
        }
        NotifyPayload rekey = m.notify(NotifyType.REKEY_SA);
        if (rekey != null && rekey.protocolId() == ProtocolId.ESP) {
            return rekeyChild(sa, m, rekey, offer, ni);
        }
        if (rekey == null && !offer.proposals().isEmpty() && offer.proposals().get(0).protocolId() == ProtocolId.IKE) {
            return rekeyIke(sa, m, offer, ni);
        }
        return error(NotifyType.NO_ADDITIONAL_SAS);
    }

    private Response rekeyChild(IkeSa sa, IkeMessage m, NotifyPayload rekey, SaPayload offer, NoncePayload ni)
            throws IkeFailureException {
        byte[] spiBytes = rekey.spi();
        if (spiBytes.length != 4) {
            return error(NotifyType.INVALID_SYNTAX);
        }
        // The REKEY_SA SPI is the one the gateway receives with, i.e. our outbound SPI (RFC 7296 §1.3.3).
        ChildSa old = sa.childByOutboundSpi(java.nio.ByteBuffer.wrap(spiBytes).getInt());
        if (old == null) {
            return new Response(List.of(new NotifyPayload(ProtocolId.ESP, spiBytes, NotifyType.CHILD_SA_NOT_FOUND, new byte[0])),
                    () -> { });
        }
        if (old.retiring && old.rekeying == null || sa.deleting) {
            return error(NotifyType.TEMPORARY_FAILURE); // we are deleting it or its IKE SA (§2.25.1)
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
            if (ke == null && preferred != null) {
                ctx.log().warn("refused the gateway's rekey of " + old + ": it brings no key exchange, but esp_proposals "
                        + ctx.espProposals() + " ask for PFS");
            }
            return error(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        TsPayload tsi = (TsPayload) m.first(PayloadType.TSI);
        TsPayload tsr = (TsPayload) m.first(PayloadType.TSR);
        if (tsi == null || tsr == null) {
            return error(NotifyType.INVALID_SYNTAX);
        }
        byte[] nr = nonce();
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
                return error(NotifyType.INVALID_SYNTAX);
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

    private Response rekeyIke(IkeSa sa, IkeMessage m, SaPayload offer, NoncePayload ni) throws IkeFailureException {
        if (sa != ctx.currentSa() || sa.retired || sa.deleting || sa.replacedByPeer != null) {
            return error(NotifyType.TEMPORARY_FAILURE); // an SA we are closing (RFC 7296 §2.25.2)
        }
        KePayload ke = m.first(KePayload.class);
        if (ke == null) {
            return error(NotifyType.INVALID_SYNTAX);
        }
        ProposalSelector.IkeChoice choice = ProposalSelector.selectIke(ctx.ikeProposals(), offer, ke.group());
        if (choice == null) {
            return error(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        if (choice.peerProposal().spi().length != 8) {
            return error(NotifyType.INVALID_SYNTAX); // a rekeyed IKE SA needs the initiator's new SPI (§1.3.2)
        }
        byte[] nr = nonce();
        byte[] sharedSecret;
        KePayload ourKe;
        try (KeyExchange ours = CryptoFactory.keyExchange(choice.transforms().keyExchange(), ctx.random())) {
            ourKe = new KePayload(ours.method().ianaId(), ours.publicValue());
            sharedSecret = ours.sharedSecret(ke.keyData());
        } catch (InvalidKeyExchangeException e) {
            return error(NotifyType.INVALID_SYNTAX);
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
            if (sa.rekeyingIke) {
                IkeRekeyCollision.theirsAnswered(ctx, sa, replacement); // ours decides when it completes
            } else {
                ctx.ikeSaReplaced(sa, replacement, false);
            }
        });
    }

    private byte[] nonce() {
        byte[] n = new byte[IkeInitTask.NONCE_LENGTH];
        ctx.random().nextBytes(n);
        return n;
    }

    private static Response invalidKe(org.mobilevpn.api.ipsec.KeyExchangeMethod preferred) {
        if (preferred == null) {
            return error(NotifyType.NO_PROPOSAL_CHOSEN);
        }
        int id = preferred.ianaId();
        return Response.of(List.of(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD, new byte[] {(byte) (id >>> 8), (byte) id})));
    }

    private static Response error(int notifyType) {
        return Response.of(List.of(NotifyPayload.of(notifyType)));
    }
}
