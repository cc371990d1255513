package org.mobilevpn.api.ike;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.PrfAlgorithm;

/**
 * An established IKE SA as the engine negotiated it. The receiver owns {@link #keys()} and closes
 * this record (wiping them) when the SA is gone.
 *
 * @param initiatorSpi our SPI, as in the IKE header
 * @param responderSpi the gateway's SPI
 * @param encryption negotiated encryption transform and key size
 * @param integrity negotiated integrity transform ({@link IntegrityAlgorithm#NONE} with AEAD)
 * @param prf negotiated pseudo-random function
 * @param keyExchange negotiated key exchange method
 * @param localEndpoint our address and port after any NAT-T port switch
 * @param remoteEndpoint the gateway's address and port
 * @param localId the identity we authenticated as
 * @param remoteId the identity the gateway proved
 * @param nat NAT detection result
 * @param keys the SK_* keys
 */
public record IkeSaInfo(long initiatorSpi, long responderSpi, EncryptionAlgorithm encryption,
        IntegrityAlgorithm integrity, PrfAlgorithm prf, KeyExchangeMethod keyExchange,
        InetSocketAddress localEndpoint, InetSocketAddress remoteEndpoint, IkeIdentity localId, IkeIdentity remoteId,
        NatState nat, IkeSaKeys keys) implements AutoCloseable {

    public IkeSaInfo {
        Objects.requireNonNull(encryption);
        Objects.requireNonNull(integrity);
        Objects.requireNonNull(prf);
        Objects.requireNonNull(keyExchange);
        Objects.requireNonNull(localEndpoint);
        Objects.requireNonNull(remoteEndpoint);
        Objects.requireNonNull(localId);
        Objects.requireNonNull(remoteId);
        Objects.requireNonNull(nat);
        Objects.requireNonNull(keys);
    }

    @Override
    public void close() {
        keys.close();
    }

    /** SPIs and algorithms; never the keys. */
    @Override
    public String toString() {
        return String.format("IkeSaInfo[%016x_i %016x_r %s/%s/%s/%s %s->%s %s->%s nat=%s]", initiatorSpi,
                responderSpi, encryption.displayName(), integrity, prf, keyExchange, localId, remoteId,
                localEndpoint, remoteEndpoint, nat);
    }
}
