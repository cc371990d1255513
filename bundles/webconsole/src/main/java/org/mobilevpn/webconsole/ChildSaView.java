package org.mobilevpn.webconsole;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One installed Child SA in the status model: algorithms, SPIs (hex, as {@code swanctl --list-sas}
 * prints them), counters and drops. No key material exists in the api it comes from.
 *
 * @param childSaId  stable id across rekeys
 * @param spiIn      our SPI (8 hex digits)
 * @param spiOut     the gateway's SPI (8 hex digits)
 * @param algorithms e.g. {@code AES_GCM_16-256}
 * @param udpEncapsulated ESP in UDP
 * @param localTs    our traffic selectors
 * @param remoteTs   the gateway side's traffic selectors
 * @param bytesIn    bytes received
 * @param packetsIn  packets received
 * @param bytesOut   bytes sent
 * @param packetsOut packets sent
 * @param drops      packets dropped by ESP outcome name (non-zero only)
 * @param established when installed
 * @param nextRekey  time until its rekey (zero when overdue)
 */
record ChildSaView(int childSaId, String spiIn, String spiOut, String algorithms, boolean udpEncapsulated,
        List<String> localTs, List<String> remoteTs, long bytesIn, long packetsIn, long bytesOut, long packetsOut,
        Map<String, Long> drops, Instant established, Duration nextRekey) {

    ChildSaView {
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
        drops = Map.copyOf(drops);
    }
}
