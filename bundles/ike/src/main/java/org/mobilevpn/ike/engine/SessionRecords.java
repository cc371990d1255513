package org.mobilevpn.ike.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.ChildSaRecord;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeRequestInFlight;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.ike.keys.ChildSaSecrets;
import org.mobilevpn.ike.keys.IkeSaSecrets;
import org.mobilevpn.ike.proposal.EspTransforms;
import org.mobilevpn.ike.proposal.IkeTransforms;

/**
 * An IKE SA with its Child SAs to and from an {@link IkeSaRecord}, the data a new engine resumes a session
 * from (DESIGN.md "state is data"; strongSwan's HA plugin syncs the same between nodes). Deadlines go out
 * on the wall clock and come back on the scheduler's, so the time between export and resume counts.
 */
final class SessionRecords {
    /** The record versions this engine reads. */
    static final java.util.Set<Integer> READS = java.util.Set.of(IkeSaRecord.VERSION, IkeSaRecord.VERSION_MID_EXCHANGE);

    private SessionRecords() {
    }

    /** The Child SA as the listener (and the data path) sees it. */
    static ChildSaInfo childInfo(IkeSa sa, ChildSa child, Duration rekey, Duration lifetime, IkeTransport transport) {
        return new ChildSaInfo(child.spiIn, child.spiOut, child.transforms.encryption(), child.transforms.integrity(),
                child.transforms.esn(), child.secrets.toApi(child.weInitiated, child.transforms.encryption()),
                child.localTs, child.remoteTs, sa.virtualIps, sa.dnsServers, sa.dnsDomains, rekey, lifetime, sa.nat,
                transport.localEndpoint(), transport.remoteEndpoint());
    }

    /**
     * @param ikeRekeyDueMillis when the IKE SA is rekeyed on the scheduler's clock, -1 for never
     * @param lastHeardMillis   when the gateway last sent something, on the scheduler's clock
     * @param inFlight          our request sent and not yet answered, null if none
     * @param replaced          the record of the IKE SA the gateway's rekey replaced with {@code sa}, null if none
     */
    static IkeSaRecord export(IkeSa sa, ExchangeManager.Ids ids, IkeTransport transport, IkeIdentity localId,
            long ikeRekeyDueMillis, long lastHeardMillis, Scheduler scheduler, IkeRequestInFlight inFlight,
            IkeSaRecord replaced) {
        long now = scheduler.nowMillis();
        Instant wallNow = Instant.now();
        List<ChildSaRecord> children = new ArrayList<>();
        for (ChildSa c : sa.children) {
            Duration rekey = Duration.ofMillis(Math.max(0, (c.rekeyDueMillis < 0 ? c.expiryDueMillis : c.rekeyDueMillis) - now));
            Duration lifetime = Duration.ofMillis(Math.max(0, c.expiryDueMillis - now));
            // one the gateway rekeyed and deletes next is not rekeyed by the next engine either
            children.add(new ChildSaRecord(childInfo(sa, c, rekey, lifetime, transport), c.weInitiated,
                    c.rekeyDueMillis < 0 || c.retiring ? null : wallNow.plus(rekey), wallNow.plus(lifetime)));
        }
        IkeSaInfo info = sa.toInfo(transport.localEndpoint(), transport.remoteEndpoint(), localId);
        boolean midExchange = inFlight != null || replaced != null;
        return new IkeSaRecord(midExchange ? IkeSaRecord.VERSION_MID_EXCHANGE : IkeSaRecord.VERSION, info, sa.initiator, ids.nextRequestId(), ids.expectedPeerRequestId(),
                ids.lastResponse(), sa.ivCounter, transport.isOnNatTraversalPort(), sa.peerSupportsFragmentation,
                sa.peerSignatureHashes, sa.virtualIps, sa.dnsServers,
                ikeRekeyDueMillis < 0 ? null : wallNow.plusMillis(ikeRekeyDueMillis - now),
                wallNow.minusMillis(now - lastHeardMillis), children, inFlight, replaced);
    }

    /**
     * The IKE SA a gateway's rekey replaced, RETIRED, from {@link IkeSaRecord#replaced()}: it has no Child SAs
     * and only waits for the gateway's DELETE (or its retransmitted rekey, answered from the last response).
     */
    static IkeSa restoreReplaced(IkeSaRecord replaced) {
        IkeSa sa = restore(replaced);
        sa.retire();
        return sa;
    }

    /**
     * The IKE SA (ESTABLISHED) with its Child SAs, keys copied from the record.
     *
     * @throws IllegalArgumentException if this engine does not read the record's version
     */
    static IkeSa restore(IkeSaRecord record) {
        if (!READS.contains(record.version())) {
            throw new IllegalArgumentException("IKE SA record version " + record.version() + " is not one this engine"
                    + " reads (" + new java.util.TreeSet<>(READS) + "): it came from an engine of another version; a new"
                    + " IKE SA is needed");
        }
        IkeSa sa = new IkeSa(record.weInitiated());
        try {
            fill(sa, record);
            InFlightHandOver.check(sa, record.inFlight());
        } catch (RuntimeException e) {
            sa.close(); // wipes what was copied so far
            throw e;
        }
        return sa;
    }

    private static void fill(IkeSa sa, IkeSaRecord record) {
        IkeSaInfo info = record.ikeSa();
        sa.spiI = info.initiatorSpi();
        sa.spiR = info.responderSpi();
        sa.negotiated(IkeCrypto.of(new IkeTransforms(info.encryption(), info.integrity(), info.prf(), info.keyExchange()),
                IkeSaSecrets.fromApi(info.keys())));
        sa.ivCounter = record.ivCounter();
        sa.nat = info.nat();
        sa.peerSupportsFragmentation = record.peerSupportsFragmentation();
        sa.peerSignatureHashes.addAll(record.peerSignatureHashes());
        sa.remoteId = info.remoteId();
        sa.virtualIps.addAll(record.virtualIps());
        sa.dnsServers.addAll(record.dnsServers());
        // IkeSaRecord (api 2.1) has no field for them: every Child SA carries the IKE SA's split DNS domains
        record.children().stream().findFirst().ifPresent(c -> sa.dnsDomains.addAll(c.childSa().dnsDomains()));
        sa.moveTo(IkeSaState.ESTABLISHED);
        for (ChildSaRecord r : record.children()) {
            ChildSaInfo c = r.childSa();
            // the PFS group is not needed any more: a rekey offers the configured proposals again
            EspTransforms t = new EspTransforms(c.encryption(), c.integrity(), null, c.esn(), c.spiOut());
            ChildSa child = new ChildSa(c.spiIn(), c.spiOut(), t, ChildSaSecrets.fromApi(c.keys(), r.weInitiated()),
                    r.weInitiated(), c.localTs(), c.remoteTs());
            child.reported = true; // the listener knows it from before the hand-over
            sa.children.add(child);
        }
    }

    /** The wait until {@code deadline} from now, zero if it has passed. */
    static Duration until(Instant deadline) {
        Duration d = Duration.between(Instant.now(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
