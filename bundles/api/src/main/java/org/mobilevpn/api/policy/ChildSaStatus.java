package org.mobilevpn.api.policy;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * One installed Child SA of a connection at the moment of the snapshot: no keys, only what an
 * operator compares with the gateway's view ({@code swanctl --list-sas}).
 *
 * @param childSaId         the stable id of the Child SA (kept across rekeys, like strongSwan's reqid)
 * @param spiIn             our SPI: the gateway sends ESP with it
 * @param spiOut            the gateway's SPI: we send ESP with it
 * @param encryption        ESP encryption transform and key size
 * @param integrity         ESP integrity transform ({@link IntegrityAlgorithm#NONE} with AEAD)
 * @param esn               extended sequence numbers
 * @param udpEncapsulated   ESP travels in UDP (RFC 3948)
 * @param localTs           our traffic selectors as the gateway narrowed them
 * @param remoteTs          the gateway side's traffic selectors
 * @param bytesIn           inner bytes received and accepted
 * @param packetsIn         packets received and accepted
 * @param bytesOut          inner bytes sent
 * @param packetsOut        packets sent
 * @param drops             packets of this SA's SPIs not delivered, by ESP outcome (only non-zero ones)
 * @param established       when the SA was installed
 * @param nextRekey         when the engine will rekey it
 */
public record ChildSaStatus(int childSaId, int spiIn, int spiOut, EncryptionAlgorithm encryption,
        IntegrityAlgorithm integrity, boolean esn, boolean udpEncapsulated,
        List<TrafficSelector> localTs, List<TrafficSelector> remoteTs, long bytesIn, long packetsIn,
        long bytesOut, long packetsOut, Map<EspStatus, Long> drops, Instant established, Instant nextRekey) {

    /** Rejects nulls; copies the collections. */
    public ChildSaStatus {
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(integrity, "integrity");
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
        drops = drops.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(drops)); // ordered by outcome
        Objects.requireNonNull(established, "established");
        Objects.requireNonNull(nextRekey, "nextRekey");
    }

    /** Packets dropped for this outcome. */
    public long dropped(EspStatus status) {
        return drops.getOrDefault(status, 0L);
    }

    /** The algorithms in one word, e.g. {@code AES_GCM_16-256} or {@code AES_CBC-256/HMAC_SHA2_256_128/ESN}. */
    public String algorithms() {
        return encryption.displayName() + (integrity == IntegrityAlgorithm.NONE ? "" : "/" + integrity)
                + (esn ? "/ESN" : "");
    }

    /** The same SA with other counters (the manager fills them in when it takes a snapshot). */
    public ChildSaStatus withCounters(long bytesIn, long packetsIn, long bytesOut, long packetsOut,
            Map<EspStatus, Long> drops) {
        return new ChildSaStatus(childSaId, spiIn, spiOut, encryption, integrity, esn,
                udpEncapsulated, localTs, remoteTs, bytesIn, packetsIn, bytesOut, packetsOut, drops, established,
                nextRekey);
    }

    /** SPIs, algorithms, selectors and counters. */
    @Override
    public String toString() {
        return String.format("ChildSa[%d %08x_i %08x_o %s %s === %s in %d B/%d p, out %d B/%d p, drops %s]",
                childSaId, spiIn, spiOut, algorithms(), localTs, remoteTs, bytesIn, packetsIn, bytesOut, packetsOut,
                drops);
    }
}
