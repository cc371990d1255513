package org.mobilevpn.ike.proposal;

import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.PrfAlgorithm;

/** The transforms the responder chose for an IKE SA: one per type. */
public record IkeTransforms(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity, PrfAlgorithm prf,
        KeyExchangeMethod keyExchange) {
}
