package org.mobilevpn.webconsole;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The detail view of one connection as rows of text: the IKE SA (algorithms, SPIs, handshake
 * duration, liveness round trip, ...) and a table of its Child SAs (algorithms, SPIs, counters, drops
 * by reason). The page renders it on the server and its script re-renders it from the JSON, both from
 * these rows.
 */
final class ConnectionDetail {
    /** Column headings of the Child SA table. */
    static final List<String> CHILD_SA_COLUMNS = List.of("Child SA", "SPI in", "SPI out", "Algorithms", "Local TS",
            "Remote TS", "Bytes in", "Packets in", "Bytes out", "Packets out", "Drops", "Established", "Next rekey");

    private ConnectionDetail() {
    }

    /** Label / value rows about the connection and its IKE SA. */
    static List<List<String>> ikeRows(ConnectionView c) {
        IkeSaView ike = c.ikeSa();
        List<List<String>> rows = new ArrayList<>();
        row(rows, "State", c.state().name() + (c.wanted() ? " (wanted up)" : ""));
        row(rows, "Degraded", orNone(c.degradation()));
        row(rows, "Degradations", Integer.toString(c.degradations()));
        row(rows, "Gateway", orNone(c.gateway()));
        row(rows, "Local address", orNone(c.localAddress()));
        row(rows, "Uplink", orNone(c.uplink()));
        row(rows, "Preferred uplinks", c.uplinks().isEmpty() ? "none (the kernel's route)"
                : String.join(", ", c.uplinks()) + " (in this order)");
        row(rows, "Moves", c.moves() + (c.moves() == 0 ? "" : " (" + DisplayText.millis(c.moveOutage()) + " in all)"));
        row(rows, "NAT detected", DisplayText.yesNo(c.natDetected()));
        row(rows, "ESP in UDP", DisplayText.yesNo(c.udpEncapsulated()));
        row(rows, "Interface", orNone(c.interfaceName()));
        row(rows, "Virtual IP", c.virtualIps().isEmpty() ? DisplayText.NONE : String.join(", ", c.virtualIps()));
        row(rows, "DNS servers", c.dnsServers().isEmpty() ? DisplayText.NONE : String.join(", ", c.dnsServers()));
        row(rows, "DNS domains", c.dnsDomains().isEmpty() ? DisplayText.NONE : String.join(", ", c.dnsDomains()));
        row(rows, "Connected since", DisplayText.time(c.connectedSince()));
        row(rows, "IKE algorithms", orNone(ike.algorithms()));
        row(rows, "IKE SPIs", orNone(ike.spis()));
        row(rows, "IKE SA established", DisplayText.time(ike.established()));
        row(rows, "IKE rekey within", DisplayText.duration(ike.nextRekey()));
        row(rows, "Handshake duration", DisplayText.millis(ike.handshakeDuration()));
        row(rows, "Liveness round trip", DisplayText.millis(ike.livenessRtt()));
        row(rows, "Handshakes", Long.toString(ike.handshakes()));
        row(rows, "Reconnects", Long.toString(ike.reconnects()));
        row(rows, "Traffic in", DisplayText.bytes(c.bytesIn()) + " / " + c.packetsIn() + " packets");
        row(rows, "Traffic out", DisplayText.bytes(c.bytesOut()) + " / " + c.packetsOut() + " packets");
        row(rows, "Data path drops", drops(c.drops()));
        row(rows, "Failed attempts", Integer.toString(c.failedAttempts()));
        row(rows, "Next attempt in", DisplayText.duration(c.nextAttemptIn()));
        row(rows, "Last error", c.lastError() == null ? DisplayText.NONE
                : c.lastError().text() + " (" + c.lastError().reason() + ", " + DisplayText.time(c.lastError().time()) + ")");
        row(rows, "Rejected profile update", orNone(c.profileProblem()));
        return rows;
    }

    /** One row per Child SA, in {@link #CHILD_SA_COLUMNS} order. */
    static List<List<String>> childSaRows(ConnectionView c) {
        List<List<String>> rows = new ArrayList<>();
        for (ChildSaView sa : c.childSas()) {
            rows.add(List.of(Integer.toString(sa.childSaId()), sa.spiIn(), sa.spiOut(),
                    sa.algorithms() + (sa.udpEncapsulated() ? " (UDP)" : ""), String.join(", ", sa.localTs()),
                    String.join(", ", sa.remoteTs()), DisplayText.bytes(sa.bytesIn()), Long.toString(sa.packetsIn()),
                    DisplayText.bytes(sa.bytesOut()), Long.toString(sa.packetsOut()), drops(sa.drops()),
                    DisplayText.time(sa.established()), DisplayText.duration(sa.nextRekey())));
        }
        return rows;
    }

    /** {@code REPLAY 3, ICV_FAIL 1}, sorted by reason; "none" when empty. */
    static String drops(Map<String, Long> drops) {
        if (drops.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        drops.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
        return b.toString();
    }

    private static void row(List<List<String>> rows, String label, String value) {
        rows.add(List.of(label, value));
    }

    private static String orNone(String s) {
        return s == null ? DisplayText.NONE : s;
    }
}
