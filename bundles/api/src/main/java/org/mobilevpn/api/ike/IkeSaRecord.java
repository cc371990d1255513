package org.mobilevpn.api.ike;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A running IKE session as data (DESIGN.md "state is data, code is services"): everything a new IKE engine
 * needs to go on with the same IKE SA and Child SAs without a new handshake, the way strongSwan's HA plugin
 * hands SAs to another node, here from one ike bundle to its update. An engine that goes away hands each
 * session over as one of these ({@link IkeHandOverListener#handedOver}); {@link IkeEngine#resume} goes on
 * from it. It lives in memory only and is never written anywhere; {@link #close()} wipes every key in it,
 * and the engine that resumes from it keeps copies.
 *
 * <p>Timers are absolute deadlines on the wall clock, so the time the hand-over took counts. A record is
 * taken between exchanges, or in the middle of one the next engine can finish (version
 * {@link #VERSION_MID_EXCHANGE}): with one request of ours in flight ({@link #inFlight()}; then
 * {@code nextRequestId} is that request's), or after the gateway rekeyed the IKE SA and before it deleted the
 * old one ({@link #replaced()}).
 *
 * @param version               {@link #VERSION} of the engine that wrote it; an engine reads the versions it
 *                              knows and refuses the others with an {@link IllegalArgumentException}
 * @param ikeSa                 SPIs, transforms, the transport's endpoints, identities, NAT state and SK_* keys
 * @param weInitiated           we are the initiator of this IKE SA (false once the gateway rekeyed it,
 *                              RFC 7296 §2.18): it says which SPI and which keys are ours
 * @param nextRequestId         the message ID of our next request (RFC 7296 §2.2)
 * @param expectedPeerRequestId the message ID of the gateway's next request
 * @param lastResponse          our answer to the gateway's last request, as sent (one datagram per fragment),
 *                              sent again if the gateway retransmits that request (RFC 7296 §2.1); empty if none
 * @param ivCounter             the last IV counter used with our outbound key (AEAD: an IV must never repeat
 *                              under one key, RFC 5282 §3)
 * @param onNatTraversalPort    IKE runs on port 4500 (RFC 7296 §2.23)
 * @param peerSupportsFragmentation the gateway announced IKE fragmentation (RFC 7383)
 * @param peerSignatureHashes   the hash algorithms the gateway announced (RFC 7427 §4)
 * @param virtualIps            addresses the gateway assigned to us
 * @param dnsServers            DNS servers the gateway announced
 * @param ikeRekeyAt            when the IKE SA is rekeyed, or null when it is not
 * @param lastHeardAt           when the gateway last sent something; liveness checks count the silence from it
 * @param children              the Child SAs of the IKE SA
 * @param inFlight              our request sent and not yet answered, or null when none is
 * @param replaced              the IKE SA the gateway's rekey replaced with this one (RFC 7296 §2.18), kept until the
 *                              gateway deletes it: its keys, message IDs and our answer to that rekey, sent again if
 *                              the gateway asks again; its Child SAs moved to this one. Null when there is none
 */
public record IkeSaRecord(int version, IkeSaInfo ikeSa, boolean weInitiated, int nextRequestId,
        int expectedPeerRequestId, List<byte[]> lastResponse, long ivCounter, boolean onNatTraversalPort,
        boolean peerSupportsFragmentation, Set<Integer> peerSignatureHashes, List<InetAddress> virtualIps,
        List<InetAddress> dnsServers, Instant ikeRekeyAt, Instant lastHeardAt, List<ChildSaRecord> children,
        IkeRequestInFlight inFlight, IkeSaRecord replaced) implements AutoCloseable {

    /** The version of a record without a request in flight; an engine reads it and the older ones it knows. */
    public static final int VERSION = 1;
    /**
     * The version of a record taken in the middle of an exchange ({@link #inFlight()}, {@link #replaced()}): an
     * engine that does not know them refuses it (a new IKE SA) rather than resuming as if nothing were under way.
     */
    public static final int VERSION_MID_EXCHANGE = 2;

    public IkeSaRecord {
        Objects.requireNonNull(ikeSa, "ikeSa");
        lastResponse = List.copyOf(lastResponse);
        peerSignatureHashes = Set.copyOf(peerSignatureHashes);
        virtualIps = List.copyOf(virtualIps);
        dnsServers = List.copyOf(dnsServers);
        Objects.requireNonNull(lastHeardAt, "lastHeardAt");
        children = List.copyOf(children);
    }

    /** A record taken between exchanges (api 2.2), no request in flight. */
    public IkeSaRecord(int version, IkeSaInfo ikeSa, boolean weInitiated, int nextRequestId, int expectedPeerRequestId,
            List<byte[]> lastResponse, long ivCounter, boolean onNatTraversalPort, boolean peerSupportsFragmentation,
            Set<Integer> peerSignatureHashes, List<InetAddress> virtualIps, List<InetAddress> dnsServers,
            Instant ikeRekeyAt, Instant lastHeardAt, List<ChildSaRecord> children) {
        this(version, ikeSa, weInitiated, nextRequestId, expectedPeerRequestId, lastResponse, ivCounter,
                onNatTraversalPort, peerSupportsFragmentation, peerSignatureHashes, virtualIps, dnsServers, ikeRekeyAt,
                lastHeardAt, children, null, null);
    }

    /** Wipes the keys of the IKE SA, of every Child SA and of the replaced IKE SA. Idempotent. */
    @Override
    public void close() {
        ikeSa.close();
        children.forEach(ChildSaRecord::close);
        if (replaced != null) {
            replaced.close();
        }
    }

    /** SPIs and counters; never the keys. */
    @Override
    public String toString() {
        return "IkeSaRecord[v" + version + " " + ikeSa + " ids " + nextRequestId + "/" + expectedPeerRequestId
                + " children=" + children + (inFlight == null ? "" : " " + inFlight) + (replaced == null ? "" : " replacing " + replaced.ikeSa()) + "]";
    }
}
