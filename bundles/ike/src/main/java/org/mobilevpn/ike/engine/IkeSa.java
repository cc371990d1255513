package org.mobilevpn.ike.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.ike.keys.IkeSaSecrets;
import org.mobilevpn.ike.proposal.IkeTransforms;

/**
 * The state of one IKE SA (RFC 7296 §2): SPIs, our role, the negotiated {@link IkeCrypto}, the
 * IKE_SA_INIT octets AUTH signs and the Child SAs; where it is in its life is one {@link IkeSaState}.
 * Touched only on the session's loop. {@link #close()} wipes the keys.
 */
public final class IkeSa implements AutoCloseable {
    /** We are the initiator of this IKE SA (false after the gateway rekeyed it, RFC 7296 §2.18). */
    final boolean initiator;
    long spiI;
    long spiR;
    /** Set once, when IKE_SA_INIT (or the rekey creating this SA) has agreed on transforms and keys. */
    private IkeCrypto crypto;
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
    /** Split DNS domains (RFC 8598), valid names only. */
    final List<String> dnsDomains = new ArrayList<>();
    final List<ChildSa> children = new ArrayList<>();
    private IkeSaState state = IkeSaState.CREATING;
    /**
     * The SA the gateway's rekey of this one created while our own rekey was in flight; which of the two
     * survives is decided when ours completes ({@link IkeRekeyCollision}, RFC 7296 §2.8.2).
     */
    IkeSa replacedByPeer;
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

    IkeSaState state() {
        return state;
    }

    /** @throws IllegalStateException if {@code next} cannot follow the current state (a bug of the engine) */
    void moveTo(IkeSaState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(this + ": " + state + " cannot become " + next);
        }
        state = next;
    }

    /** Our IKE rekey of this SA is sent; an SA already being deleted stays so (RFC 7296 §2.25.2). */
    void ourRekeyStarted() {
        if (state == IkeSaState.ESTABLISHED) {
            moveTo(IkeSaState.REKEYING);
        }
    }

    /** Our IKE rekey of this SA got its answer. */
    void ourRekeyEnded() {
        if (state == IkeSaState.REKEYING) {
            moveTo(IkeSaState.ESTABLISHED);
        }
    }

    /** Replaced by a rekey; an SA whose DELETE is already under way stays DELETING. */
    void retire() {
        if (state != IkeSaState.DELETING) {
            moveTo(IkeSaState.RETIRED);
        }
    }

    /** The negotiated crypto, {@code null} before IKE_SA_INIT completed. */
    IkeCrypto crypto() {
        return crypto;
    }

    /** @throws IllegalStateException if this SA has its crypto already: it is set once */
    void negotiated(IkeCrypto negotiated) {
        if (crypto != null) {
            throw new IllegalStateException(this + " has its crypto already");
        }
        crypto = negotiated;
    }

    public IkeTransforms transforms() {
        return crypto == null ? null : crypto.transforms;
    }

    public IkeSaSecrets secrets() {
        return crypto == null ? null : crypto.secrets;
    }

    byte[] outboundEncryptionKey() {
        return initiator ? crypto.secrets.skEi() : crypto.secrets.skEr();
    }

    byte[] inboundEncryptionKey() {
        return initiator ? crypto.secrets.skEr() : crypto.secrets.skEi();
    }

    byte[] outboundIntegrityKey() {
        return initiator ? crypto.secrets.skAi() : crypto.secrets.skAr();
    }

    byte[] inboundIntegrityKey() {
        return initiator ? crypto.secrets.skAr() : crypto.secrets.skAi();
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
        IkeTransforms t = crypto.transforms;
        return new IkeSaInfo(spiI, spiR, t.encryption(), t.integrity(), t.prf(), t.keyExchange(), local, remote,
                localId, remoteId, nat, crypto.secrets.toApi());
    }

    @Override
    public void close() {
        moveTo(IkeSaState.CLOSED);
        if (crypto != null) {
            crypto.close();
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
