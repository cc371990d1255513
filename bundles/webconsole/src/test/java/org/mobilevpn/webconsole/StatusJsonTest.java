package org.mobilevpn.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.mobilevpn.api.profile.ProvisioningReport;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.FakeVpnManager;
import org.mobilevpn.testsupport.Statuses;

class StatusJsonTest {

    private static String json(StatusSnapshot s) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = StatusJson.generator(out)) {
            StatusJson.write(s, g);
        }
        return out.toString();
    }

    @Test
    void stringsAreEscapedSoTheOutputParsesBackToTheSameText() throws IOException {
        String nasty = "q\"b\\s/\n\r\t\u0001<script>&\u2028\u2029é";
        StringWriter out = new StringWriter();
        try (JsonGenerator g = StatusJson.generator(out)) {
            g.writeStartObject();
            g.writeStringField("a", nasty);
            g.writeFieldName(nasty);
            g.writeNull();
            g.writeArrayFieldStart("b");
            g.writeNumber(1);
            g.writeEndArray();
            StatusJson.number(g, "nan", Double.NaN);
            StatusJson.number(g, "infinite", Double.NEGATIVE_INFINITY);
            StatusJson.number(g, "none", null);
            StatusJson.number(g, "rate", 1.5);
            g.writeEndObject();
        }

        Map<String, Object> back = StrictJson.object(out.toString());

        assertEquals(nasty, back.get("a"));
        assertTrue(back.containsKey(nasty), "names are escaped the same way");
        assertEquals(List.of(1), back.get("b"));
        assertEquals(java.util.Arrays.asList(null, null, null, 1.5),
                java.util.Arrays.asList(back.get("nan"), back.get("infinite"), back.get("none"), back.get("rate")));
        assertTrue(back.containsKey("nan") && back.containsKey("none"), "JSON cannot carry NaN: null, not left out");
        for (String raw : List.of("<", ">", "&", "\u2028", "\u2029")) {
            assertFalse(out.toString().contains(raw), "no raw " + raw + ": safe inside HTML and scripts too");
        }
        assertTrue(out.toString().contains("\\u003C"), out.toString());
        assertTrue(out.toString().contains("é"), "other text stays readable: " + out);
    }

    @Test
    void aWriteCutShortDoesNotLookComplete() throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = StatusJson.generator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("connections"); // then the snapshot throws: the generator is closed here
        }
        assertEquals("{\"connections\":[", out.toString(), "no closing brackets added, so a script sees the failure");
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse(out.toString()));
    }

    @Test
    void theCheckerRefusesWhatIsNotJson() {
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("{\"a\":1,}"));
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("{\"a\":\"x\ny\"}"));
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("[1] 2"));
        assertThrows(IllegalArgumentException.class, () -> StrictJson.parse("{\"a\":1,\"a\":2}"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSnapshotAsJsonCarriesRawValuesAndTheTextsThePageShows() throws IOException {
        FakeVpnManager manager = new FakeVpnManager();
        StatusModelBuilder builder = new StatusModelBuilder(new ThroughputMeter(Duration.ofSeconds(1)));
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0, Statuses.childSa(0xc1a2b3d4, 0xabcd, 0, 0, Statuses.T0.plusSeconds(90))),
                Statuses.disabled("home"));
        builder.build(Statuses.T0, manager, null, null);
        Instant now = Statuses.T0.plusSeconds(2);
        manager.statuses = List.of(Statuses.connected("office", now, Statuses.childSa(0xc1a2b3d4, 0xabcd, 250_000, 0, Statuses.T0.plusSeconds(90))),
                Statuses.disabled("home"));
        ProvisioningView provisioning = ProvisioningCache.view(new ProvisioningReport(List.of(
                new ProvisioningItem("tun", true, "/dev/net/tun opens read/write"),
                new ProvisioningItem("cap_net_admin", false, "missing: run as root"))), now);

        Map<String, Object> root = StrictJson.object(json(builder.build(now, manager, provisioning, List.of())));

        List<Map<String, Object>> connections = (List<Map<String, Object>>) root.get("connections");
        assertEquals(2, connections.size());
        Map<String, Object> office = connections.get(0);
        assertEquals("office", office.get("name"));
        assertEquals("CONNECTED", office.get("state"));
        assertEquals(List.of("198.18.0.5"), office.get("virtualIps"));
        assertEquals(1_000_000.0, office.get("throughputInBitsPerSecond"));
        assertEquals(88, office.get("nextRekeySeconds"));
        Map<String, Object> cells = (Map<String, Object>) ((Map<String, Object>) office.get("display")).get("cells");
        assertEquals("1.00 Mbit/s", cells.get("throughput-in"));
        assertEquals("1m 28s", cells.get("next-rekey"));
        assertEquals("detected", cells.get("nat"));
        assertEquals(List.of(ConnectionCells.CLASSES), List.copyOf(cells.keySet()));
        Map<String, Object> sa = ((List<Map<String, Object>>) office.get("childSas")).get(0);
        assertEquals("c1a2b3d4", sa.get("spiIn"));
        assertEquals(Map.of("ICV_FAIL", 1, "REPLAY", 3), sa.get("drops"));
        Map<String, Object> ike = (Map<String, Object>) office.get("ikeSa");
        assertEquals(42.0, ike.get("handshakeMillis"));
        assertEquals(3.0, ike.get("livenessRttMillis"));
        assertEquals("0123456789abcdef_i fedcba9876543210_r", ike.get("spis"));

        Map<String, Object> home = connections.get(1);
        assertNull(home.get("gateway"));
        assertNull(home.get("throughputInBitsPerSecond"), "no tunnel: no rate, not a rate of zero");

        Map<String, Object> p = (Map<String, Object>) root.get("provisioning");
        assertEquals(false, p.get("passed"));
        assertEquals(2, ((List<?>) p.get("items")).size());
        assertTrue((Boolean) root.get("eventsAvailable"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDegradedConnectionSaysWhyInTheJsonAndInTheDetailRows() throws Exception {
        FakeVpnManager manager = new FakeVpnManager();
        String why = "9 packets out on Child SA c1a2b3d4_i 0000abcd_o and none in for 5.0 s; a new Child SA replaces it";
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0, Statuses.childSa(0xc1a2b3d4, 0xabcd, 0, 0,
                Statuses.T0.plusSeconds(90))).toBuilder().state(ConnectionState.DEGRADED).degradation(why).degradations(1)
                .build());
        Map<String, Object> office = ((List<Map<String, Object>>) StrictJson.object(json(new StatusModelBuilder(null)
                .build(Statuses.T0, manager, null, List.of()))).get("connections")).get(0);
        assertEquals("DEGRADED", office.get("state"));
        assertEquals(why, office.get("degradation"));
        assertEquals(1, ((Number) office.get("degradations")).intValue());
        Map<String, Object> display = (Map<String, Object>) office.get("display");
        assertEquals("DEGRADED", ((Map<String, Object>) display.get("cells")).get("state"));
        assertTrue(display.toString().contains(why), "the detail view shows why: " + display);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGatewaysSplitDnsDomainsAreInTheJsonAndInTheDetailRows() throws Exception {
        FakeVpnManager manager = new FakeVpnManager();
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0).toBuilder()
                .dnsDomains(List.of("corp.vpn.test", "lab.vpn.test")).build());
        Map<String, Object> office = ((List<Map<String, Object>>) StrictJson.object(json(new StatusModelBuilder(null)
                .build(Statuses.T0, manager, null, List.of()))).get("connections")).get(0);
        assertEquals(List.of("corp.vpn.test", "lab.vpn.test"), office.get("dnsDomains"));
        Map<String, Object> display = (Map<String, Object>) office.get("display");
        assertTrue(display.toString().contains("DNS domains, corp.vpn.test, lab.vpn.test"), "the detail rows: " + display);
    }

    /** The profile's {@code uplinks} beside the uplink in use, in the JSON and in the detail rows (as vpn:status). */
    @Test
    @SuppressWarnings("unchecked")
    void theProfilesPreferredUplinksAreShownBesideTheUplinkInUse() throws Exception {
        FakeVpnManager manager = new FakeVpnManager();
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0).toBuilder().uplink("cell0").build(),
                Statuses.connected("lab", Statuses.T0));
        VpnProfile office = VpnProfile.builder(org.mobilevpn.api.ike.IkeSessionConfig.builder("office")
                .localId(org.mobilevpn.api.ike.IkeIdentity.email("client@example.org"))
                .remoteId(org.mobilevpn.api.ike.IkeIdentity.fqdn("gw.example.org"))
                .psk(org.mobilevpn.api.ipsec.SecretBytes.copyOf("secret-of-office".getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
                .remoteAddrs(List.of(new org.mobilevpn.api.profile.GatewayAddress("198.51.100.1", 500)))
                .uplinks(List.of("cell0", "wan0")).build();
        ProfileRegistry registry = new ProfileRegistry() {
            @Override public List<VpnProfile> profiles() { return List.of(office); }
            @Override public Optional<VpnProfile> profile(String name) {
                return name.equals("office") ? Optional.of(office) : Optional.empty(); }
            @Override public List<ProfileProblem> problems() { return List.of(); }
            @Override public List<ProfileProblem> problems(String name) { return List.of(); }
        };
        List<Map<String, Object>> connections = (List<Map<String, Object>>) StrictJson.object(json(
                new StatusModelBuilder(null).build(Statuses.T0, manager, null, List.of(), registry))).get("connections");
        Map<String, Object> withPreference = connections.get(0);
        assertEquals("cell0", withPreference.get("uplink"));
        assertEquals(List.of("cell0", "wan0"), withPreference.get("uplinks"));
        assertTrue(withPreference.get("display").toString().contains("Preferred uplinks, cell0, wan0 (in this order)"),
                "the detail rows: " + withPreference.get("display"));
        Map<String, Object> without = connections.get(1);
        assertEquals(List.of(), without.get("uplinks"));
        assertTrue(without.get("display").toString().contains("Preferred uplinks, none (the kernel's route)"),
                "the detail rows: " + without.get("display"));
    }
}
