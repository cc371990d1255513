package org.mobilevpn.ike.engine;

import java.util.Arrays;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.KeyExchange;
import org.mobilevpn.ike.keys.ChildSaSecrets;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.KePayload;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.PayloadType;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.message.TsPayload;
import org.mobilevpn.ike.proposal.ChosenProposalCheck;
import org.mobilevpn.ike.proposal.EspTransforms;
import org.mobilevpn.ike.proposal.ProposalMismatchException;

/**
 * Rekeying a Child SA we start (RFC 7296 §1.3.3, §2.8): CREATE_CHILD_SA with REKEY_SA naming the old
 * SA, a new SA offer, Ni, KEi when the ESP proposals ask for PFS, and the old SA's selectors. On success
 * the new SA is reported and the old one deleted. If the gateway rekeyed the same SA meanwhile, the
 * redundant SA is the one with the lowest of the four nonces, deleted by whoever created it (§2.8.1).
 */
final class ChildRekeyTask implements Task {
    /** Wait before trying again after TEMPORARY_FAILURE (RFC 7296 §2.25). */
    static final java.time.Duration RETRY_DELAY = java.time.Duration.ofSeconds(10);

    private final SessionContext ctx;
    private final IkeSa sa;
    private final ChildSa old;
    private KeyExchangeMethod group;
    private KeyExchange keyExchange;
    private byte[] nonce;
    private int spiIn;

    ChildRekeyTask(SessionContext ctx, IkeSa sa, ChildSa old) {
        this.ctx = ctx;
        this.sa = sa;
        this.old = old;
        this.group = ctx.espProposals().get(0).keyExchange().isEmpty() ? null : ctx.espProposals().get(0).keyExchange().get(0);
    }

    /**
     * The task of a request another engine built and sent ({@link InFlightHandOver}): without PFS, offering
     * {@code spiIn} with {@code nonce}.
     */
    static ChildRekeyTask sent(SessionContext ctx, IkeSa sa, ChildSa old, int spiIn, byte[] nonce) {
        ChildRekeyTask t = new ChildRekeyTask(ctx, sa, old);
        t.group = null;
        t.spiIn = spiIn;
        t.nonce = nonce.clone();
        old.rekeying = t;
        return t;
    }

    ChildSa old() {
        return old;
    }

    /** Whether the request carries a KE payload (PFS): its private key cannot leave the engine. */
    boolean withKeyExchange() {
        return group != null;
    }

    /** Our inbound SPI for the new Child SA, as offered in the request built last. */
    int newSpiIn() {
        return spiIn;
    }

    byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public boolean obsolete() {
        return !sa.children.contains(old) || old.retiring;
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        old.rekeying = this;
        spiIn = ctx.allocateChildSpi();
        nonce = new byte[IkeInitTask.NONCE_LENGTH];
        ctx.random().nextBytes(nonce);
        request.add(new NotifyPayload(ProtocolId.ESP, ChildCreateTask.spiBytes(old.spiIn), NotifyType.REKEY_SA, new byte[0]));
        request.add(ChildCreateTask.espOffer(group == null ? ChildCreateTask.withoutKeyExchange(ctx.espProposals())
                : ctx.espProposals().stream().map(p -> p.preferring(group)).toList(), spiIn));
        request.add(new NoncePayload(nonce));
        if (group != null) {
            keyExchange = CryptoFactory.keyExchange(group, ctx.random());
            request.add(new KePayload(group.ianaId(), keyExchange.publicValue()));
        }
        request.add(new TsPayload(true, old.localTs));
        request.add(new TsPayload(false, old.remoteTs));
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        IkeMessage m = response.message();
        old.rekeying = null;
        NotifyPayload error = m.firstError();
        if (error != null) {
            closeKeyExchange();
            switch (error.notifyType()) {
                case NotifyType.INVALID_KE_PAYLOAD: {
                    byte[] d = error.data();
                    KeyExchangeMethod wanted = d.length == 2 ? ChosenProposalCheck.keyExchangeById((d[0] & 0xff) << 8 | d[1] & 0xff) : null;
                    if (wanted != null && wanted != group && ctx.espProposals().stream().anyMatch(p -> p.keyExchange().contains(wanted))) {
                        group = wanted;
                        return Outcome.RETRY;
                    }
                    break;
                }
                case NotifyType.TEMPORARY_FAILURE:
                    ctx.log().info(old + " rekey refused for now, retrying in " + RETRY_DELAY.toSeconds() + " s");
                    ctx.scheduler().schedule(RETRY_DELAY, () -> ctx.requestChildRekey(sa, old));
                    return Outcome.DONE;
                case NotifyType.CHILD_SA_NOT_FOUND:
                    ctx.log().info(old + " is unknown to the gateway; removing it");
                    ctx.childSaGone(sa, old, true);
                    return Outcome.DONE;
                default:
                    break;
            }
            // The old SA stays usable until the gateway deletes it; rekeying is not fatal (RFC 7296 §2.8).
            ctx.log().warn(old + " rekey failed: " + NotifyType.name(error.notifyType()));
            return Outcome.DONE;
        }
        SaPayload saPayload = m.first(SaPayload.class);
        NoncePayload nr = m.first(NoncePayload.class);
        TsPayload tsi = (TsPayload) m.first(PayloadType.TSI);
        TsPayload tsr = (TsPayload) m.first(PayloadType.TSR);
        if (saPayload == null || nr == null || tsi == null || tsr == null) {
            closeKeyExchange();
            throw new IkeFailureException(FailureReason.INTERNAL, "CREATE_CHILD_SA response lacks SA, Nr, TSi or TSr");
        }
        EspTransforms t;
        try {
            t = ChosenProposalCheck.esp(ctx.espProposals(), saPayload, group != null);
        } catch (ProposalMismatchException e) {
            closeKeyExchange();
            throw new IkeFailureException(FailureReason.NO_PROPOSAL_CHOSEN, "gateway chose badly in a rekey: " + e.getMessage());
        }
        ChildSelectors.checkNarrowed(old.localTs, tsi.selectors(), "TSi");
        ChildSelectors.checkNarrowed(old.remoteTs, tsr.selectors(), "TSr");
        byte[] sharedSecret = null;
        if (t.keyExchange() != null) {
            sharedSecret = KeyExchangeHelper.agree(keyExchange, m.first(KePayload.class));
        } else {
            closeKeyExchange();
        }
        ChildSaSecrets keys = ChildKeys.derive(sa, t, sharedSecret, nonce, nr.nonce());
        if (sharedSecret != null) {
            Arrays.fill(sharedSecret, (byte) 0);
        }
        ChildSa replacement = new ChildSa(spiIn, t.peerSpi(), t, keys, true, tsi.selectors(), tsr.selectors());
        replacement.nonces = new byte[][] {nonce, nr.nonce()};
        ChildSa peers = old.replacedByPeer;
        if (peers != null && sa.children.contains(peers)) {
            // Collision (RFC 7296 §2.8.1): the SA made with the lowest of the four nonces is redundant.
            if (RekeyCollision.lowestNonceIsOurs(replacement.nonces, peers.nonces)) {
                // The gateway's SA takes over when the gateway deletes the old one; ours never carries traffic.
                ctx.log().info("rekey collision on " + old + ": deleting our redundant " + replacement);
                ctx.childSaRedundant(sa, replacement);
                ctx.queue(sa, ChildDeleteTask.exchange(ctx, sa, replacement));
            } else {
                // Ours survives: the gateway deletes its redundant SA; the old one goes as after any rekey.
                ctx.log().info("rekey collision on " + old + ": the gateway deletes its redundant " + peers);
                ctx.childSaReady(sa, replacement, old.spiIn);
                ctx.queue(sa, ChildDeleteTask.exchange(ctx, sa, old));
            }
            return Outcome.DONE;
        }
        ctx.childSaReady(sa, replacement, old.spiIn);
        old.retiring = true;
        ctx.queue(sa, ChildDeleteTask.exchange(ctx, sa, old));
        return Outcome.DONE;
    }

    private void closeKeyExchange() {
        if (keyExchange != null) {
            keyExchange.close();
            keyExchange = null;
        }
    }
}
