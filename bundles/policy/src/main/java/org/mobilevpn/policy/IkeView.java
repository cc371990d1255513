package org.mobilevpn.policy;

import java.net.InetSocketAddress;
import java.time.Instant;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/**
 * The non-secret facts of the current IKE SA, kept after its record (with the SK_* keys) was closed.
 *
 * @param local           our address and port
 * @param gateway         the gateway's address and port
 * @param natDetected     a real NAT was detected (RFC 7296 §2.23), not only forced encapsulation
 * @param udpEncapsulated ESP travels in UDP
 * @param algorithms      e.g. {@code AES_GCM_16-256/HMAC_SHA2_384/CURVE25519}
 * @param spiInitiator    our IKE SPI
 * @param spiResponder    the gateway's IKE SPI
 * @param established     when this IKE SA was established or rekeyed into place
 */
record IkeView(InetSocketAddress local, InetSocketAddress gateway, boolean natDetected, boolean udpEncapsulated,
        String algorithms, long spiInitiator, long spiResponder, Instant established) {

    static IkeView of(IkeSaInfo info, Instant established) {
        String algorithms = info.encryption().displayName()
                + (info.integrity() == IntegrityAlgorithm.NONE ? "" : "/" + info.integrity()) + "/PRF_" + info.prf()
                + "/" + info.keyExchange();
        boolean nat = !info.nat().forced() && (info.nat().localBehindNat() || info.nat().remoteBehindNat());
        return new IkeView(info.localEndpoint(), info.remoteEndpoint(), nat, info.nat().udpEncapsulation(), algorithms,
                info.initiatorSpi(), info.responderSpi(), established);
    }
}
