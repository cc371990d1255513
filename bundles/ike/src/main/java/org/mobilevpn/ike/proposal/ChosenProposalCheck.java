package org.mobilevpn.ike.proposal;

import java.util.List;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.PrfAlgorithm;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.message.Transform;

/**
 * Checks the SA payload of a response against what we offered (RFC 7296 §2.7, §3.3.6): exactly one
 * proposal, carrying the number of one of ours, with exactly one transform of each type that
 * proposal has, each one we offered in it, and no unknown attributes.
 */
public final class ChosenProposalCheck {

    private ChosenProposalCheck() {
    }

    public static IkeTransforms ike(List<ProposalSpec> offered, SaPayload sa) throws ProposalMismatchException {
        Proposal chosen = single(sa, ProtocolId.IKE);
        ProposalSpec spec = offeredWithNumber(offered, chosen);
        Transform enc = one(chosen, Transform.TYPE_ENCR, true);
        EncryptionAlgorithm e = encryption(spec, enc);
        Transform prfT = one(chosen, Transform.TYPE_PRF, true);
        PrfAlgorithm prf = spec.prf().stream().filter(p -> p.ianaId() == prfT.id()).findFirst()
                .orElseThrow(() -> new ProposalMismatchException("PRF " + prfT.id() + " was not offered"));
        IntegrityAlgorithm integrity = integrity(spec, chosen);
        Transform keT = one(chosen, Transform.TYPE_KE, true);
        KeyExchangeMethod ke = keyExchange(spec, keT);
        if (!chosen.transforms(Transform.TYPE_ESN).isEmpty()) {
            throw new ProposalMismatchException("ESN transform in an IKE proposal");
        }
        return new IkeTransforms(e, integrity, prf, ke);
    }

    /**
     * @param expectKeyExchange whether we offered a KE (PFS) and so require one chosen
     */
    public static EspTransforms esp(List<ProposalSpec> offered, SaPayload sa, boolean expectKeyExchange)
            throws ProposalMismatchException {
        Proposal chosen = single(sa, ProtocolId.ESP);
        ProposalSpec spec = offeredWithNumber(offered, chosen);
        EncryptionAlgorithm e = encryption(spec, one(chosen, Transform.TYPE_ENCR, true));
        IntegrityAlgorithm integrity = integrity(spec, chosen);
        if (!chosen.transforms(Transform.TYPE_PRF).isEmpty()) {
            throw new ProposalMismatchException("PRF transform in an ESP proposal");
        }
        Transform keT = one(chosen, Transform.TYPE_KE, expectKeyExchange && !spec.keyExchange().isEmpty());
        KeyExchangeMethod ke = keT == null ? null : keyExchange(spec, keT);
        Transform esnT = one(chosen, Transform.TYPE_ESN, true);
        if (esnT.id() != 0 && esnT.id() != 1 || !spec.esn().contains(esnT.id() == 1)) {
            throw new ProposalMismatchException("ESN " + esnT.id() + " was not offered");
        }
        byte[] spi = chosen.spi();
        int peerSpi = (spi[0] & 0xff) << 24 | (spi[1] & 0xff) << 16 | (spi[2] & 0xff) << 8 | spi[3] & 0xff;
        return new EspTransforms(e, integrity, ke, esnT.id() == 1, peerSpi);
    }

    private static Proposal single(SaPayload sa, int protocol) throws ProposalMismatchException {
        if (sa.proposals().size() != 1) {
            throw new ProposalMismatchException("response carries " + sa.proposals().size() + " proposals");
        }
        Proposal p = sa.proposals().get(0);
        if (p.protocolId() != protocol) {
            throw new ProposalMismatchException("chosen proposal is for protocol " + p.protocolId());
        }
        for (Transform t : p.transforms()) {
            if (t.hasUnknownAttributes()) {
                throw new ProposalMismatchException("transform " + t.type() + ":" + t.id() + " has unknown attributes");
            }
        }
        return p;
    }

    private static ProposalSpec offeredWithNumber(List<ProposalSpec> offered, Proposal chosen)
            throws ProposalMismatchException {
        int n = chosen.number();
        if (n < 1 || n > offered.size()) {
            throw new ProposalMismatchException("chosen proposal number " + n + " was never offered");
        }
        return offered.get(n - 1);
    }

    private static Transform one(Proposal p, int type, boolean required) throws ProposalMismatchException {
        List<Transform> ts = p.transforms(type);
        if (ts.size() > 1 || required && ts.isEmpty()) {
            throw new ProposalMismatchException(ts.size() + " transforms of type " + type + " in the chosen proposal");
        }
        return ts.isEmpty() ? null : ts.get(0);
    }

    private static EncryptionAlgorithm encryption(ProposalSpec spec, Transform t) throws ProposalMismatchException {
        for (EncryptionAlgorithm e : spec.encryption()) {
            if (EncryptionTransforms.matches(e, t)) {
                return e;
            }
        }
        throw new ProposalMismatchException("encryption " + t.id() + "/" + t.keyLength() + " was not offered");
    }

    private static IntegrityAlgorithm integrity(ProposalSpec spec, Proposal chosen) throws ProposalMismatchException {
        boolean aead = spec.isAead();
        Transform t = one(chosen, Transform.TYPE_INTEG, !aead);
        if (t == null || aead && t.id() == 0) {
            return IntegrityAlgorithm.NONE;
        }
        if (aead) {
            throw new ProposalMismatchException("integrity transform with an AEAD cipher");
        }
        for (IntegrityAlgorithm i : spec.integrity()) {
            if (i.ianaId() == t.id()) {
                return i;
            }
        }
        throw new ProposalMismatchException("integrity " + t.id() + " was not offered");
    }

    private static KeyExchangeMethod keyExchange(ProposalSpec spec, Transform t) throws ProposalMismatchException {
        for (KeyExchangeMethod k : spec.keyExchange()) {
            if (k.ianaId() == t.id()) {
                return k;
            }
        }
        throw new ProposalMismatchException("key exchange method " + t.id() + " was not offered");
    }

    /** Looks up a KE method by IANA number among all we support, or {@code null}. */
    public static KeyExchangeMethod keyExchangeById(int id) {
        for (KeyExchangeMethod k : KeyExchangeMethod.values()) {
            if (k.ianaId() == id) {
                return k;
            }
        }
        return null;
    }
}
