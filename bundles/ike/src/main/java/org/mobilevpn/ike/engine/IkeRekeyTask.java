package org.mobilevpn.ike.engine;

import java.util.Arrays;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.KeyExchange;
import org.mobilevpn.ike.keys.IkeKeyDerivation;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.KePayload;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.OctetWriter;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.proposal.ChosenProposalCheck;
import org.mobilevpn.ike.proposal.IkeTransforms;
import org.mobilevpn.ike.proposal.ProposalMismatchException;
import org.mobilevpn.ike.proposal.ProposalSpec;

/**
 * Rekeying the IKE SA we start (RFC 7296 §1.3.2, §2.18): CREATE_CHILD_SA with an IKE proposal carrying
 * our new SPI, Ni and KEi. The new SA's SKEYSEED is prf(SK_d (old), g^ir (new) | Ni | Nr); it takes over
 * the Child SAs, and the old IKE SA is then deleted. If the gateway rekeyed the same SA meanwhile,
 * {@link IkeRekeyCollision} decides which new SA survives (§2.8.2).
 */
final class IkeRekeyTask implements Task {
    private final SessionContext ctx;
    private final IkeSa old;
    private KeyExchangeMethod group;
    private KeyExchange keyExchange;
    private byte[] nonce;
    private long newSpiI;

    IkeRekeyTask(SessionContext ctx, IkeSa old) {
        this.ctx = ctx;
        this.old = old;
        this.group = old.transforms().keyExchange();
    }

    @Override
    public boolean obsolete() {
        return old != ctx.currentSa();
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        if (newSpiI != 0) {
            ctx.releaseIkeSpi(newSpiI); // a retry with another group: a new SPI too
        }
        newSpiI = ctx.allocateIkeSpi();
        nonce = new byte[IkeInitTask.NONCE_LENGTH];
        ctx.random().nextBytes(nonce);
        keyExchange = CryptoFactory.keyExchange(group, ctx.random());
        byte[] spi = new OctetWriter(8).u64(newSpiI).toByteArray();
        java.util.List<Proposal> proposals = new java.util.ArrayList<>();
        int n = 1;
        for (ProposalSpec p : ctx.ikeProposals()) {
            proposals.add(p.preferring(group).toProposal(n++, spi));
        }
        request.add(new SaPayload(proposals));
        request.add(new NoncePayload(nonce));
        request.add(new KePayload(group.ianaId(), keyExchange.publicValue()));
        old.ourRekeyStarted();
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        IkeMessage m = response.message();
        old.ourRekeyEnded();
        NotifyPayload error = m.firstError();
        if (error != null) {
            abandon();
            if (error.notifyType() == NotifyType.INVALID_KE_PAYLOAD && error.data().length == 2) {
                KeyExchangeMethod wanted = ChosenProposalCheck.keyExchangeById((error.data()[0] & 0xff) << 8 | error.data()[1] & 0xff);
                if (wanted != null && wanted != group && ctx.ikeProposals().stream().anyMatch(p -> p.keyExchange().contains(wanted))) {
                    group = wanted;
                    return Outcome.RETRY;
                }
            }
            if (IkeRekeyCollision.oursFailed(ctx, old)) {
                return Outcome.DONE; // the gateway's SA of a collision took over
            }
            if (error.notifyType() == NotifyType.TEMPORARY_FAILURE) {
                ctx.scheduler().schedule(ChildRekeyTask.RETRY_DELAY, ctx::requestIkeRekey);
            }
            // The old IKE SA stays usable; a failed rekey is not fatal.
            ctx.log().warn(old + " rekey failed: " + NotifyType.name(error.notifyType()));
            return Outcome.DONE;
        }
        SaPayload saPayload = m.first(SaPayload.class);
        NoncePayload nr = m.first(NoncePayload.class);
        KePayload ke = m.first(KePayload.class);
        if (saPayload == null || nr == null || ke == null) {
            abandon();
            throw new IkeFailureException(FailureReason.INTERNAL, "IKE rekey response lacks SA, Nr or KE");
        }
        IkeTransforms chosen;
        try {
            chosen = ChosenProposalCheck.ike(ctx.ikeProposals(), saPayload);
        } catch (ProposalMismatchException e) {
            abandon();
            throw new IkeFailureException(FailureReason.NO_PROPOSAL_CHOSEN, "gateway chose badly in an IKE rekey: " + e.getMessage());
        }
        byte[] spiR = saPayload.proposals().get(0).spi();
        if (spiR.length != 8 || chosen.keyExchange() != group) {
            abandon();
            throw new IkeFailureException(FailureReason.INTERNAL, "IKE rekey response with a bad SPI or group");
        }
        byte[] sharedSecret = KeyExchangeHelper.agree(keyExchange, ke);
        IkeSa replacement = new IkeSa(true);
        replacement.spiI = newSpiI;
        replacement.spiR = java.nio.ByteBuffer.wrap(spiR).getLong();
        deriveRekeyed(old, replacement, chosen, sharedSecret, nonce, nr.nonce());
        Arrays.fill(sharedSecret, (byte) 0);
        IkeRekeyCollision.oursCompleted(ctx, old, replacement);
        return Outcome.DONE;
    }

    /** This attempt creates no IKE SA: its key exchange and SPI are given up. */
    private void abandon() {
        keyExchange.close();
        ctx.releaseIkeSpi(newSpiI);
    }

    /** SKEYSEED and SK_* of a rekeyed IKE SA (RFC 7296 §2.18), and what carries over from the old one. */
    static void deriveRekeyed(IkeSa old, IkeSa replacement, IkeTransforms chosen, byte[] sharedSecret, byte[] ni, byte[] nr) {
        replacement.negotiated(IkeCrypto.derive(chosen,
                prf -> IkeKeyDerivation.rekeyedSkeyseed(prf, old.secrets().skD(), sharedSecret, ni, nr), ni, nr,
                replacement.spiI, replacement.spiR));
        replacement.nonceI = ni;
        replacement.nonceR = nr;
        replacement.nat = old.nat;
        replacement.peerSupportsFragmentation = old.peerSupportsFragmentation;
        replacement.peerSignatureHashes.addAll(old.peerSignatureHashes);
        replacement.remoteId = old.remoteId;
        replacement.virtualIps.addAll(old.virtualIps);
        replacement.dnsServers.addAll(old.dnsServers);
        replacement.dnsDomains.addAll(old.dnsDomains);
        replacement.moveTo(IkeSaState.ESTABLISHED);
    }
}
