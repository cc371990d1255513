package org.mobilevpn.webconsole;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The status model as JSON ({@code GET /system/console/vpn/status.json}). Raw values for scripts
 * (seconds, bits per second, counters) and, under {@code "text"}, the same values as the page shows
 * them, so the page's script displays them without computing anything.
 */
final class StatusJson {

    private StatusJson() {
    }

    static void write(StatusSnapshot s, JsonWriter w) {
        w.beginObject();
        w.member("takenAt", s.takenAt().toString());
        w.member("takenAtText", DisplayText.time(s.takenAt()));
        w.member("managerAvailable", s.managerAvailable());
        w.member("managerProblem", s.managerProblem());
        w.name("connections").beginArray();
        for (ConnectionView c : s.connections()) {
            connection(c, w);
        }
        w.endArray();
        w.name("profileProblems").beginArray();
        s.profileProblems().forEach(w::value);
        w.endArray();
        w.name("provisioning");
        provisioning(s.provisioning(), w);
        w.member("eventsAvailable", s.eventsAvailable());
        w.name("events").beginArray();
        for (EventView e : s.events()) {
            w.beginObject().member("time", e.time().toString()).member("timeText", DisplayText.time(e.time()))
                    .member("connection", e.connection()).member("kind", e.kind()).member("text", e.text())
                    .member("line", StatusPage.eventLine(e)).endObject();
        }
        w.endArray();
        w.endObject();
        w.flush();
    }

    static void connection(ConnectionView c, JsonWriter w) {
        w.beginObject();
        w.member("name", c.name());
        w.member("state", c.state().name());
        w.member("wanted", c.wanted());
        w.member("gateway", c.gateway());
        w.member("localAddress", c.localAddress());
        strings(w, "virtualIps", c.virtualIps());
        strings(w, "dnsServers", c.dnsServers());
        w.member("natDetected", c.natDetected());
        w.member("udpEncapsulated", c.udpEncapsulated());
        w.member("interface", c.interfaceName());
        w.member("uptimeSeconds", c.uptime().toSeconds());
        w.member("connectedSince", instant(c.connectedSince()));
        w.member("throughputInBitsPerSecond", c.throughput().inBitsPerSecond());
        w.member("throughputOutBitsPerSecond", c.throughput().outBitsPerSecond());
        w.name("nextRekeySeconds");
        seconds(w, c.nextRekey());
        w.name("lastError");
        if (c.lastError() == null) {
            w.nullValue();
        } else {
            ErrorView e = c.lastError();
            w.beginObject().member("reason", e.reason()).member("words", e.words()).member("message", e.message())
                    .member("time", e.time().toString()).endObject();
        }
        w.member("failedAttempts", c.failedAttempts());
        w.member("profileProblem", c.profileProblem());
        w.name("nextAttemptSeconds");
        seconds(w, c.nextAttemptIn());
        w.member("bytesIn", c.bytesIn());
        w.member("bytesOut", c.bytesOut());
        w.member("packetsIn", c.packetsIn());
        w.member("packetsOut", c.packetsOut());
        counts(w, "drops", c.drops());
        ikeSa(c.ikeSa(), w);
        w.name("childSas").beginArray();
        for (ChildSaView sa : c.childSas()) {
            childSa(sa, w);
        }
        w.endArray();
        w.name("display").beginObject();
        w.name("cells").beginObject();
        for (Map.Entry<String, String> cell : ConnectionCells.of(c).entrySet()) {
            w.member(cell.getKey(), cell.getValue());
        }
        w.endObject();
        rows(w, "ike", ConnectionDetail.ikeRows(c));
        strings(w, "childSaColumns", ConnectionDetail.CHILD_SA_COLUMNS);
        rows(w, "childSas", ConnectionDetail.childSaRows(c));
        w.endObject();
        w.endObject();
    }

    private static void rows(JsonWriter w, String name, List<List<String>> rows) {
        w.name(name).beginArray();
        for (List<String> row : rows) {
            w.beginArray();
            row.forEach(w::value);
            w.endArray();
        }
        w.endArray();
    }

    private static void ikeSa(IkeSaView ike, JsonWriter w) {
        w.name("ikeSa").beginObject();
        w.member("algorithms", ike.algorithms());
        w.member("spis", ike.spis());
        w.member("established", instant(ike.established()));
        w.name("nextRekeySeconds");
        seconds(w, ike.nextRekey());
        w.name("handshakeMillis");
        millis(w, ike.handshakeDuration());
        w.name("livenessRttMillis");
        millis(w, ike.livenessRtt());
        w.member("handshakes", ike.handshakes());
        w.member("reconnects", ike.reconnects());
        w.endObject();
    }

    private static void childSa(ChildSaView sa, JsonWriter w) {
        w.beginObject();
        w.member("childSaId", sa.childSaId());
        w.member("spiIn", sa.spiIn());
        w.member("spiOut", sa.spiOut());
        w.member("algorithms", sa.algorithms());
        w.member("udpEncapsulated", sa.udpEncapsulated());
        strings(w, "localTs", sa.localTs());
        strings(w, "remoteTs", sa.remoteTs());
        w.member("bytesIn", sa.bytesIn());
        w.member("packetsIn", sa.packetsIn());
        w.member("bytesOut", sa.bytesOut());
        w.member("packetsOut", sa.packetsOut());
        counts(w, "drops", sa.drops());
        w.member("established", sa.established().toString());
        w.member("nextRekeySeconds", sa.nextRekey().toSeconds());
        w.endObject();
    }

    private static void provisioning(ProvisioningView p, JsonWriter w) {
        if (p == null) {
            w.nullValue();
            return;
        }
        w.beginObject().member("passed", p.passed()).member("checkedAt", p.checkedAt().toString());
        w.name("items").beginArray();
        for (ProvisioningView.Item i : p.items()) {
            w.beginObject().member("check", i.check()).member("passed", i.passed()).member("detail", i.detail())
                    .member("line", StatusPage.provisioningLine(i)).endObject();
        }
        w.endArray().member("summary", StatusPage.provisioningSummary(p)).endObject();
    }

    private static void strings(JsonWriter w, String name, List<String> values) {
        w.name(name).beginArray();
        values.forEach(w::value);
        w.endArray();
    }

    private static void counts(JsonWriter w, String name, Map<String, Long> counts) {
        w.name(name).beginObject();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> w.member(e.getKey(), e.getValue()));
        w.endObject();
    }

    private static void seconds(JsonWriter w, Duration d) {
        if (d == null) {
            w.nullValue();
        } else {
            w.value(d.toSeconds());
        }
    }

    private static void millis(JsonWriter w, Duration d) {
        if (d == null) {
            w.nullValue();
        } else {
            w.value(d.toNanos() / 1e6);
        }
    }

    private static String instant(Instant t) {
        return t == null ? null : t.toString();
    }
}
