package org.mobilevpn.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.inventory.Format;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.policy.ConnectionEvent;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.GatewayAddress;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.FakeVpnManager;
import org.mobilevpn.testsupport.Statuses;

class InventoryReportTest {
    private static final String PSK = "TopSecretPsk-4711-never-shown";

    private final VpnInventoryPrinter printer = new VpnInventoryPrinter(Clock.fixed(Statuses.T0, ZoneOffset.UTC));

    InventoryReportTest() {
        VpnProfile office = VpnProfile.builder(IkeSessionConfig.builder("office").localId(IkeIdentity.email("client@example.org"))
                .remoteId(IkeIdentity.fqdn("gw.example.org")).psk(SecretBytes.copyOf(PSK.getBytes(StandardCharsets.US_ASCII))))
                .remoteAddrs(List.of(new GatewayAddress("198.51.100.1", 500))).build();
        printer.registry = new ProfileRegistry() {
            @Override
            public List<VpnProfile> profiles() {
                return List.of(office);
            }

            @Override
            public Optional<VpnProfile> profile(String name) {
                return name.equals("office") ? Optional.of(office) : Optional.empty();
            }

            @Override
            public List<ProfileProblem> problems() {
                return List.of(new ProfileProblem("lab", "remote_addrs", "missing: the gateway's host name or address"));
            }

            @Override
            public List<ProfileProblem> problems(String name) {
                return List.of();
            }
        };
        FakeVpnManager manager = new FakeVpnManager();
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0, Statuses.childSa(0xc1a2b3d4, 2, 5, 6, Statuses.T0.plusSeconds(9))));
        printer.manager = manager;
        printer.eventLog = () -> List.of(new ConnectionEvent(Statuses.T0, VpnManager.TOPIC_PREFIX + "CONNECTED", "office",
                ConnectionState.CONNECTED, ConnectionState.CONNECTING, VpnManager.REASON_ESTABLISHED, ""));
    }

    private String print(Format format) {
        StringWriter out = new StringWriter();
        printer.print(new PrintWriter(out), format, true);
        return out.toString();
    }

    @Test
    void theTextHasStateProfilesProblemsAndEventsButNoSecret() {
        String text = print(Format.TEXT);
        assertFalse(text.contains(PSK), text);
        assertTrue(text.contains("psk = (redacted)"), text);
        assertTrue(text.contains("remote_addrs = 198.51.100.1:500"), text);
        assertTrue(text.contains("Child SA: Child SA 1, SPI in c1a2b3d4"), text);
        assertTrue(text.contains("lab: remote_addrs: missing"), text);
        assertTrue(text.contains("office CONNECTING -> CONNECTED: ESTABLISHED"), text);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonParsesAndHasNoSecret() {
        String json = print(Format.JSON);
        assertFalse(json.contains(PSK));
        Map<String, Object> root = StrictJson.object(json);
        Map<String, Object> profile = ((List<Map<String, Object>>) root.get("profiles")).get(0);
        assertEquals("(redacted)", profile.get("psk"));
        assertEquals("client@example.org", profile.get("local_id"));
        assertEquals(1, ((List<?>) ((Map<String, Object>) root.get("status")).get("events")).size());
        assertEquals(1, ((List<?>) root.get("problems")).size());
    }

    @Test
    void theRedactedProfileNamesEveryKeyOfTheContractButNoSecretValue() {
        VpnProfile p = printer.registry.profiles().get(0);
        Map<String, String> m = RedactedProfile.of(p);
        for (String key : List.of("name", "remote_addrs", "local_id", "remote_id", "auth", "psk", "ike_proposals",
                "esp_proposals", "local_ts", "remote_ts", "vips", "encap", "dpd_delay", "keepalive", "rekey_time",
                "autostart", "split_include", "split_exclude", "kill_switch", "dns")) {
            assertTrue(m.containsKey(key), key);
        }
        assertFalse(m.values().stream().anyMatch(v -> v.contains(PSK)));
    }
}
