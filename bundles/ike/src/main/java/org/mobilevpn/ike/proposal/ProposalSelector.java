package org.mobilevpn.ike.proposal;

import java.util.ArrayList;
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
 * Responder-side choice (RFC 7296 §2.7, §3.3.6) for exchanges the gateway starts (rekeying): the first
 * of the peer's proposals, in its order, of which one transform per type is acceptable under one of our
 * proposals; the key exchange method must be the group of the peer's KE payload. Where our proposal has key
 * exchange methods (PFS, RFC 7296 §1.3.1, §2.12), a Child SA offer without a KE payload does not match it: PFS is
 * never dropped because the peer left it out.
 */
public final class ProposalSelector {

    /** A choice: the proposal to send back (one transform per type) and what it means. */
    public record EspChoice(Proposal peerProposal, EspTransforms transforms, List<Transform> chosen) {
    }

    /** An IKE SA choice for an IKE rekey. */
    public record IkeChoice(Proposal peerProposal, IkeTransforms transforms, List<Transform> chosen) {
    }

    private ProposalSelector() {
    }

    /** @param keGroup the group of the peer's KE payload, or {@code null} without one */
    public static EspChoice selectEsp(List<ProposalSpec> ours, SaPayload theirs, Integer keGroup) {
        for (Proposal p : theirs.proposals()) {
            if (p.protocolId() != ProtocolId.ESP || p.spi().length != 4) {
                continue;
            }
            for (ProposalSpec spec : ours) {
                EspChoice c = matchEsp(spec, p, keGroup);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    public static IkeChoice selectIke(List<ProposalSpec> ours, SaPayload theirs, int keGroup) {
        for (Proposal p : theirs.proposals()) {
            if (p.protocolId() != ProtocolId.IKE || p.spi().length != 0 && p.spi().length != 8) {
                continue;
            }
            for (ProposalSpec spec : ours) {
                IkeChoice c = matchIke(spec, p, keGroup);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private static EspChoice matchEsp(ProposalSpec spec, Proposal p, Integer keGroup) {
        List<Transform> chosen = new ArrayList<>();
        EncryptionAlgorithm enc = encryption(spec, p, chosen);
        if (enc == null) {
            return null;
        }
        IntegrityAlgorithm integ = integrity(spec, p, chosen);
        if (integ == null) {
            return null;
        }
        KeyExchangeMethod ke = null;
        List<Transform> kes = p.transforms(Transform.TYPE_KE);
        boolean theyWantPfs = kes.stream().anyMatch(t -> t.id() != 0);
        // A proposal of ours with key exchange methods asks for PFS: a rekey without a KE does not fit it.
        boolean weWantPfs = !spec.keyExchange().isEmpty();
        if (theyWantPfs || keGroup != null || weWantPfs) {
            if (keGroup == null) {
                return null;
            }
            ke = spec.keyExchange().stream().filter(k -> k.ianaId() == keGroup).findFirst().orElse(null);
            if (ke == null || kes.stream().noneMatch(t -> t.id() == keGroup)) {
                return null;
            }
            chosen.add(Transform.of(Transform.TYPE_KE, keGroup));
        }
        Boolean esn = null;
        List<Transform> esns = p.transforms(Transform.TYPE_ESN);
        for (Transform t : esns.isEmpty() ? List.of(Transform.of(Transform.TYPE_ESN, 0)) : esns) {
            if ((t.id() == 0 || t.id() == 1) && spec.esn().contains(t.id() == 1)) {
                esn = t.id() == 1;
                break;
            }
        }
        if (esn == null) {
            return null;
        }
        chosen.add(Transform.of(Transform.TYPE_ESN, esn ? 1 : 0));
        byte[] spi = p.spi();
        int peerSpi = (spi[0] & 0xff) << 24 | (spi[1] & 0xff) << 16 | (spi[2] & 0xff) << 8 | spi[3] & 0xff;
        return new EspChoice(p, new EspTransforms(enc, integ, ke, esn, peerSpi), chosen);
    }

    private static IkeChoice matchIke(ProposalSpec spec, Proposal p, int keGroup) {
        List<Transform> chosen = new ArrayList<>();
        EncryptionAlgorithm enc = encryption(spec, p, chosen);
        if (enc == null) {
            return null;
        }
        PrfAlgorithm prf = null;
        for (Transform t : p.transforms(Transform.TYPE_PRF)) {
            prf = spec.prf().stream().filter(x -> x.ianaId() == t.id()).findFirst().orElse(null);
            if (prf != null) {
                chosen.add(Transform.of(Transform.TYPE_PRF, t.id()));
                break;
            }
        }
        if (prf == null) {
            return null;
        }
        IntegrityAlgorithm integ = integrity(spec, p, chosen);
        if (integ == null) {
            return null;
        }
        KeyExchangeMethod ke = spec.keyExchange().stream().filter(k -> k.ianaId() == keGroup).findFirst().orElse(null);
        if (ke == null || p.transforms(Transform.TYPE_KE).stream().noneMatch(t -> t.id() == keGroup)) {
            return null;
        }
        chosen.add(Transform.of(Transform.TYPE_KE, keGroup));
        return new IkeChoice(p, new IkeTransforms(enc, integ, prf, ke), chosen);
    }

    private static EncryptionAlgorithm encryption(ProposalSpec spec, Proposal p, List<Transform> chosen) {
        for (Transform t : p.transforms(Transform.TYPE_ENCR)) {
            if (t.hasUnknownAttributes()) {
                continue;
            }
            for (EncryptionAlgorithm e : spec.encryption()) {
                if (EncryptionTransforms.matches(e, t)) {
                    chosen.add(t);
                    return e;
                }
            }
        }
        return null;
    }

    /** The integrity transform, {@link IntegrityAlgorithm#NONE} for AEAD, or {@code null} if none fits. */
    private static IntegrityAlgorithm integrity(ProposalSpec spec, Proposal p, List<Transform> chosen) {
        if (spec.isAead()) {
            return IntegrityAlgorithm.NONE;
        }
        for (Transform t : p.transforms(Transform.TYPE_INTEG)) {
            for (IntegrityAlgorithm i : spec.integrity()) {
                if (i.ianaId() == t.id()) {
                    chosen.add(Transform.of(Transform.TYPE_INTEG, t.id()));
                    return i;
                }
            }
        }
        return null;
    }
}
