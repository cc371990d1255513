package org.mobilevpn.ike.proposal;

import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;

/**
 * The transforms chosen for an ESP Child SA, with the peer's SPI from the chosen proposal.
 *
 * @param keyExchange the PFS group, or {@code null} without PFS
 */
public record EspTransforms(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity,
        KeyExchangeMethod keyExchange, boolean esn, int peerSpi) {
}
