package org.mobilevpn.ike.proposal;

import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.PrfAlgorithm;
import org.mobilevpn.ike.message.Proposal;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.Transform;

/**
 * One parsed proposal: for each transform type the acceptable algorithms, most preferred first
 * (RFC 7296 §3.3: a proposal offers any combination of one transform per type).
 *
 * @param protocolId {@link ProtocolId#IKE} or {@link ProtocolId#ESP}
 * @param text the proposal as configured, for messages
 */
public record ProposalSpec(int protocolId, String text, List<EncryptionAlgorithm> encryption,
        List<IntegrityAlgorithm> integrity, List<PrfAlgorithm> prf, List<KeyExchangeMethod> keyExchange,
        List<Boolean> esn) {

    public ProposalSpec {
        encryption = List.copyOf(encryption);
        integrity = List.copyOf(integrity);
        prf = List.copyOf(prf);
        keyExchange = List.copyOf(keyExchange);
        esn = List.copyOf(esn);
    }

    public boolean isAead() {
        return encryption.get(0).isAead();
    }

    /** The same proposal with {@code preferred} moved to the front of the key exchange methods. */
    public ProposalSpec preferring(KeyExchangeMethod preferred) {
        List<KeyExchangeMethod> ke = new ArrayList<>(keyExchange);
        if (ke.remove(preferred)) {
            ke.add(0, preferred);
        }
        return new ProposalSpec(protocolId, text, encryption, integrity, prf, ke, esn);
    }

    /** The same ESP proposal without key exchange methods (a first Child SA in IKE_AUTH has no KE). */
    public ProposalSpec withoutKeyExchange() {
        return new ProposalSpec(protocolId, text, encryption, integrity, prf, List.of(), esn);
    }

    /** The wire form with this number and SPI. */
    public Proposal toProposal(int number, byte[] spi) {
        List<Transform> transforms = new ArrayList<>();
        for (EncryptionAlgorithm e : encryption) {
            transforms.add(EncryptionTransforms.toTransform(e));
        }
        for (PrfAlgorithm p : prf) {
            transforms.add(Transform.of(Transform.TYPE_PRF, p.ianaId()));
        }
        for (IntegrityAlgorithm i : integrity) {
            transforms.add(Transform.of(Transform.TYPE_INTEG, i.ianaId()));
        }
        for (KeyExchangeMethod k : keyExchange) {
            transforms.add(Transform.of(Transform.TYPE_KE, k.ianaId()));
        }
        for (Boolean e : esn) {
            transforms.add(Transform.of(Transform.TYPE_ESN, e ? 1 : 0));
        }
        return new Proposal(number, protocolId, spi, transforms);
    }

    @Override
    public String toString() {
        return text;
    }
}
