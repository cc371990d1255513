package org.mobilevpn.ike.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.ike.crypto.IkeCipher;
import org.mobilevpn.ike.crypto.IkeIntegrity;
import org.mobilevpn.ike.crypto.Prf;
import org.mobilevpn.ike.keys.IkeSaSecrets;
import org.mobilevpn.ike.proposal.IkeTransforms;

/**
 * The state of one IKE SA (RFC 7296 §2): SPIs, our role, negotiated transforms and keys, the
 * IKE_SA_INIT octets AUTH signs, message ID counters and the Child SAs. Touched only on the session's
 * loop. {@link #close()} wipes the keys.
 */
public final class IkeSa implements AutoCloseable {
    /** We are the initiator of this IKE SA (false after the gateway rekeyed it, RFC 7296 §2.18). */
    final boolean initiator;
    long spiI;
    long spiR;
    IkeTransforms transforms;
    IkeCipher cipher;
    IkeIntegrity integrity;
    Prf prf;
    IkeSaSecrets secrets;
    byte[] nonceI;
    byte[] nonceR;
    /** Our IKE_SA_INIT request and the response, as sent and received (RFC 7296 §2.15 RealMessage1/2). */
    byte[] initRequest;
    byte[] initResponse;
    NatState nat = NatState.none();
    boolean peerSupportsFragmentation;
    final Set<Integer> peerSignatureHashes = new HashSet<>();
    IkeIdentity remoteId;
    final List<InetAddress> virtualIps = new ArrayList<>();
    final List<InetAddress> dnsServers = new ArrayList<>();
    final List<ChildSa> children = new ArrayList<>();
    boolean established;
    /** Our IKE rekey of this SA is in flight (collision handling, RFC 7296 §2.25.2). */
    boolean rekeyingIke;
    /** Replaced by a rekey; only its DELETE exchange may still run on it. */
    boolean retired;
    /**
     * The SA the gateway's rekey of this one created while our own rekey was in flight; which of the two
     * survives is decided when ours completes ({@link IkeRekeyCollision}, RFC 7296 §2.8.2).
     */
    IkeSa replacedByPeer;
    /** Our DELETE of this SA is queued or on its way: a rekey of it is refused (RFC 7296 §2.25.2). */
    boolean deleting;
    /** Wiped and forgotten: deleted, or the session ended. */
    boolean closed;
    /** Counter for AEAD IVs: unique per key as RFC 5282 §3 requires. */
    long ivCounter;

    IkeSa(boolean initiator) {
        this.initiator = initiator;
    }

    /** Our SPI in the IKE header. */
    public long localSpi() {
        return initiator ? spiI : spiR;
    }

    public long peerSpi() {
        return initiator ? spiR : spiI;
    }

    public long spiI() {
        return spiI;
    }

    public long spiR() {
        return spiR;
    }

    public boolean isInitiator() {
        return initiator;
    }

    public IkeTransforms transforms() {
        return transforms;
    }

    public IkeSaSecrets secrets() {
        return secrets;
    }

    byte[] outboundEncryptionKey() {
        return initiator ? secrets.skEi() : secrets.skEr();
    }

    byte[] inboundEncryptionKey() {
        return initiator ? secrets.skEr() : secrets.skEi();
    }

    byte[] outboundIntegrityKey() {
        return initiator ? secrets.skAi() : secrets.skAr();
    }

    byte[] inboundIntegrityKey() {
        return initiator ? secrets.skAr() : secrets.skAi();
    }

    ChildSa childByInboundSpi(int spi) {
        for (ChildSa c : children) {
            if (c.spiIn == spi) {
                return c;
            }
        }
        return null;
    }

    ChildSa childByOutboundSpi(int spi) {
        for (ChildSa c : children) {
            if (c.spiOut == spi) {
                return c;
            }
        }
        return null;
    }

    /** The event record, with copies of the keys for the receiver. */
    IkeSaInfo toInfo(java.net.InetSocketAddress local, java.net.InetSocketAddress remote, IkeIdentity localId) {
        return new IkeSaInfo(spiI, spiR, transforms.encryption(), transforms.integrity(),
                transforms.prf(), transforms.keyExchange(), local, remote, localId, remoteId, nat, secrets.toApi());
    }

    @Override
    public void close() {
        closed = true;
        if (secrets != null) {
            secrets.close();
        }
        for (ChildSa c : children) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return String.format("IKE_SA %016x_i %016x_r", spiI, spiR);
    }
}
