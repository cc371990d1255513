package org.mobilevpn.webconsole;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonpCharacterEscapes;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The status model as JSON ({@code GET /system/console/vpn/status.json}). Raw values for scripts
 * (seconds, bits per second, counters) and, under {@code "display"} and in the {@code ...Text} members,
 * the same values as the page shows them, so the page's script displays them without computing anything. Written with jackson-core;
 * every JSON this bundle sends comes from {@link #generator}.
 */
final class StatusJson {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET) // the caller's writer: a response or the inventory's
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT) // a write cut short by an error must not look complete
            .characterEscapes(new HtmlSafeEscapes())
            .build();

    private StatusJson() {
    }

    /**
     * A generator writing to {@code out}; close it when done (it flushes, and leaves {@code out} open).
     * Strings escape {@code <}, {@code >}, {@code &} and the line separators U+2028/U+2029 as well, so
     * the output is also safe inside an HTML document or a script.
     */
    static JsonGenerator generator(Writer out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    static void write(StatusSnapshot s, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("takenAt", s.takenAt().toString());
        g.writeStringField("takenAtText", DisplayText.time(s.takenAt()));
        g.writeBooleanField("managerAvailable", s.managerAvailable());
        g.writeStringField("managerProblem", s.managerProblem());
        g.writeArrayFieldStart("connections");
        for (ConnectionView c : s.connections()) {
            connection(c, g);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("profileProblems");
        for (String problem : s.profileProblems()) {
            g.writeString(problem);
        }
        g.writeEndArray();
        g.writeFieldName("provisioning");
        provisioning(s.provisioning(), g);
        g.writeBooleanField("eventsAvailable", s.eventsAvailable());
        g.writeArrayFieldStart("events");
        for (EventView e : s.events()) {
            g.writeStartObject();
            g.writeStringField("time", e.time().toString());
            g.writeStringField("timeText", DisplayText.time(e.time()));
            g.writeStringField("connection", e.connection());
            g.writeStringField("kind", e.kind());
            g.writeStringField("text", e.text());
            g.writeStringField("line", StatusPage.eventLine(e));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void connection(ConnectionView c, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("state", c.state().name());
        g.writeBooleanField("wanted", c.wanted());
        g.writeStringField("gateway", c.gateway());
        g.writeStringField("localAddress", c.localAddress());
        g.writeStringField("uplink", c.uplink());
        strings(g, "uplinks", c.uplinks());
        strings(g, "virtualIps", c.virtualIps());
        strings(g, "dnsServers", c.dnsServers());
        strings(g, "dnsDomains", c.dnsDomains());
        g.writeBooleanField("natDetected", c.natDetected());
        g.writeBooleanField("udpEncapsulated", c.udpEncapsulated());
        g.writeStringField("interface", c.interfaceName());
        g.writeNumberField("uptimeSeconds", c.uptime().toSeconds());
        g.writeStringField("connectedSince", instant(c.connectedSince()));
        number(g, "throughputInBitsPerSecond", c.throughput().inBitsPerSecond());
        number(g, "throughputOutBitsPerSecond", c.throughput().outBitsPerSecond());
        seconds(g, "nextRekeySeconds", c.nextRekey());
        if (c.lastError() == null) {
            g.writeNullField("lastError");
        } else {
            ErrorView e = c.lastError();
            g.writeObjectFieldStart("lastError");
            g.writeStringField("reason", e.reason());
            g.writeStringField("words", e.words());
            g.writeStringField("message", e.message());
            g.writeStringField("time", e.time().toString());
            g.writeEndObject();
        }
        g.writeNumberField("failedAttempts", c.failedAttempts());
        g.writeStringField("profileProblem", c.profileProblem());
        g.writeStringField("degradation", c.degradation());
        g.writeNumberField("degradations", c.degradations());
        seconds(g, "nextAttemptSeconds", c.nextAttemptIn());
        g.writeNumberField("bytesIn", c.bytesIn());
        g.writeNumberField("bytesOut", c.bytesOut());
        g.writeNumberField("packetsIn", c.packetsIn());
        g.writeNumberField("packetsOut", c.packetsOut());
        counts(g, "drops", c.drops());
        ikeSa(c.ikeSa(), g);
        g.writeArrayFieldStart("childSas");
        for (ChildSaView sa : c.childSas()) {
            childSa(sa, g);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("display");
        g.writeObjectFieldStart("cells");
        for (Map.Entry<String, String> cell : ConnectionCells.of(c).entrySet()) {
            g.writeStringField(cell.getKey(), cell.getValue());
        }
        g.writeEndObject();
        rows(g, "ike", ConnectionDetail.ikeRows(c));
        strings(g, "childSaColumns", ConnectionDetail.CHILD_SA_COLUMNS);
        rows(g, "childSas", ConnectionDetail.childSaRows(c));
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void rows(JsonGenerator g, String name, List<List<String>> rows) throws IOException {
        g.writeArrayFieldStart(name);
        for (List<String> row : rows) {
            g.writeStartArray();
            for (String cell : row) {
                g.writeString(cell);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void ikeSa(IkeSaView ike, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("ikeSa");
        g.writeStringField("algorithms", ike.algorithms());
        g.writeStringField("spis", ike.spis());
        g.writeStringField("established", instant(ike.established()));
        seconds(g, "nextRekeySeconds", ike.nextRekey());
        millis(g, "handshakeMillis", ike.handshakeDuration());
        millis(g, "livenessRttMillis", ike.livenessRtt());
        g.writeNumberField("handshakes", ike.handshakes());
        g.writeNumberField("reconnects", ike.reconnects());
        g.writeEndObject();
    }

    private static void childSa(ChildSaView sa, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("childSaId", sa.childSaId());
        g.writeStringField("spiIn", sa.spiIn());
        g.writeStringField("spiOut", sa.spiOut());
        g.writeStringField("algorithms", sa.algorithms());
        g.writeBooleanField("udpEncapsulated", sa.udpEncapsulated());
        strings(g, "localTs", sa.localTs());
        strings(g, "remoteTs", sa.remoteTs());
        g.writeNumberField("bytesIn", sa.bytesIn());
        g.writeNumberField("packetsIn", sa.packetsIn());
        g.writeNumberField("bytesOut", sa.bytesOut());
        g.writeNumberField("packetsOut", sa.packetsOut());
        counts(g, "drops", sa.drops());
        g.writeStringField("established", sa.established().toString());
        g.writeNumberField("nextRekeySeconds", sa.nextRekey().toSeconds());
        g.writeEndObject();
    }

    private static void provisioning(ProvisioningView p, JsonGenerator g) throws IOException {
        if (p == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeBooleanField("passed", p.passed());
        g.writeStringField("checkedAt", p.checkedAt().toString());
        g.writeArrayFieldStart("items");
        for (ProvisioningView.Item i : p.items()) {
            g.writeStartObject();
            g.writeStringField("check", i.check());
            g.writeBooleanField("passed", i.passed());
            g.writeBooleanField("warning", i.warning());
            g.writeStringField("detail", i.detail());
            g.writeStringField("line", StatusPage.provisioningLine(i));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("summary", StatusPage.provisioningSummary(p));
        g.writeEndObject();
    }

    static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void counts(JsonGenerator g, String name, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** A number; null, NaN and the infinities (which JSON cannot carry) become {@code null}. */
    static void number(JsonGenerator g, String name, Double d) throws IOException {
        if (d == null || d.isNaN() || d.isInfinite()) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, d.doubleValue());
        }
    }

    private static void seconds(JsonGenerator g, String name, Duration d) throws IOException {
        if (d == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, d.toSeconds());
        }
    }

    private static void millis(JsonGenerator g, String name, Duration d) throws IOException {
        number(g, name, d == null ? null : d.toNanos() / 1e6);
    }

    private static String instant(Instant t) {
        return t == null ? null : t.toString();
    }

    /** JSON's escapes, plus {@code < > &} as {@code \\u003c}...; JSONP's base adds U+2028 and U+2029. */
    private static final class HtmlSafeEscapes extends JsonpCharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = ascii();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        private static int[] ascii() {
            int[] codes = CharacterEscapes.standardAsciiEscapesForJSON();
            codes['<'] = CharacterEscapes.ESCAPE_STANDARD;
            codes['>'] = CharacterEscapes.ESCAPE_STANDARD;
            codes['&'] = CharacterEscapes.ESCAPE_STANDARD;
            return codes;
        }
    }
}
