package org.mobilevpn.ike.proposal;

import org.mobilevpn.api.ike.EncryptionAlgorithm;
import org.mobilevpn.api.ike.IntegrityAlgorithm;
import org.mobilevpn.api.ike.KeyExchangeMethod;
import org.mobilevpn.api.ike.PrfAlgorithm;

/** The transforms the responder chose for an IKE SA: one per type. */
public record IkeTransforms(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, PrfAlgorithm prf,
        KeyExchangeMethod keyExchange) {
}
