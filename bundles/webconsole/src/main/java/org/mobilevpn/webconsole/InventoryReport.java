package org.mobilevpn.webconsole;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.VpnProfile;

/**
 * The VPN's part of the Web Console's support bundle ("Status" zip): the status model, the profiles
 * with secrets redacted ({@link RedactedProfile}), the problems of rejected configurations and the
 * recent events, as plain text or as JSON.
 */
final class InventoryReport {

    private InventoryReport() {
    }

    static void text(StatusSnapshot s, List<VpnProfile> profiles, List<ProfileProblem> problems, boolean registryAvailable,
            PrintWriter out) {
        out.println("mobilevpn status at " + DisplayText.time(s.takenAt()));
        String managerProblem = StatusPage.managerProblem(s);
        if (!managerProblem.isEmpty()) {
            out.println(managerProblem);
        }
        out.println();
        out.println("Connections (" + s.connections().size() + ")");
        for (ConnectionView c : s.connections()) {
            out.println("  " + c.name());
            Map<String, String> cells = ConnectionCells.of(c);
            for (String k : new String[] {"uptime", "throughput-in", "throughput-out", "next-rekey"}) {
                out.println("    " + k + ": " + cells.get(k));
            }
            for (List<String> row : ConnectionDetail.ikeRows(c)) {
                out.println("    " + row.get(0) + ": " + row.get(1));
            }
            List<String> columns = ConnectionDetail.CHILD_SA_COLUMNS;
            for (List<String> sa : ConnectionDetail.childSaRows(c)) {
                StringBuilder line = new StringBuilder("    Child SA:");
                for (int i = 0; i < columns.size(); i++) {
                    line.append(i == 0 ? " " : ", ").append(columns.get(i)).append(' ').append(sa.get(i));
                }
                out.println(line);
            }
        }
        out.println();
        out.println("Profiles (secrets redacted)" + (registryAvailable ? "" : ": no ProfileRegistry service"));
        for (VpnProfile p : profiles) {
            out.println("  " + p.name());
            RedactedProfile.of(p).forEach((k, v) -> out.println("    " + k + " = " + v));
        }
        if (!problems.isEmpty()) {
            out.println();
            out.println("Rejected configurations");
            problems.forEach(p -> out.println("  " + p));
        }
        out.println();
        out.println("Provisioning check: " + StatusPage.provisioningSummary(s.provisioning()));
        if (s.provisioning() != null) {
            s.provisioning().items().forEach(i -> out.println("  " + StatusPage.provisioningLine(i)));
        }
        out.println();
        out.println("Recent events, newest first" + (s.eventsAvailable() ? "" : ": no connection event log service"));
        s.events().forEach(e -> out.println("  " + StatusPage.eventLine(e)));
        out.flush();
    }

    static void json(StatusSnapshot s, List<VpnProfile> profiles, List<ProfileProblem> problems, boolean registryAvailable,
            PrintWriter out) {
        try (JsonGenerator g = StatusJson.generator(out)) {
            g.writeStartObject();
            g.writeFieldName("status");
            StatusJson.write(s, g);
            g.writeBooleanField("profileRegistryAvailable", registryAvailable);
            g.writeArrayFieldStart("profiles");
            for (VpnProfile p : profiles) {
                g.writeStartObject();
                for (Map.Entry<String, String> e : RedactedProfile.of(p).entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("problems");
            for (ProfileProblem p : problems) {
                g.writeStartObject();
                g.writeStringField("profile", p.profile());
                g.writeStringField("key", p.key());
                g.writeStringField("message", p.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a PrintWriter keeps write errors to itself: a generator misuse
        }
    }
}
