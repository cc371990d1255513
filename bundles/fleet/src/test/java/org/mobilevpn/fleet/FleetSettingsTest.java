package org.mobilevpn.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** etc/org.mobilevpn.fleet.cfg as FileInstall delivers it: strings, lists as comma-separated text, problems by key. */
class FleetSettingsTest {
    static final Path HOME = Path.of("/opt/mobilevpn");

    static Map<String, Object> tls() {
        Map<String, Object> m = new HashMap<>();
        m.put("broker", "ssl://198.51.100.3:8883, ssl://198.51.100.4:8883");
        m.put("device_id", "gw-17");
        m.put("groups", "office,lab");
        m.put("ca", "etc/fleet/ca.pem");
        m.put("cert", "etc/fleet/gw-17.pem");
        m.put("key", "/secure/gw-17.key");
        m.put("key_password", "hunter2");
        return m;
    }

    @Test
    void threeLinesAndTheCredentialsMakeAConfiguration() throws Exception {
        FleetSettings s = FleetSettings.parse(tls(), HOME);
        assertEquals(2, s.brokers().size());
        assertEquals("gw-17", s.deviceId());
        assertEquals(List.of("office", "lab"), s.groups());
        assertEquals(Path.of("/opt/mobilevpn/etc/fleet/ca.pem"), s.ca().orElseThrow());
        assertEquals(Path.of("/secure/gw-17.key"), s.key().orElseThrow());
        assertFalse(s.plain());
        assertEquals(Duration.ofSeconds(30), s.keepalive());
        assertFalse(s.toString().contains("hunter2"), "no password in the string");
    }

    @Test
    void plainTcpOnlyWithAllowPlain() throws Exception {
        Map<String, Object> m = new HashMap<>(Map.of("broker", "tcp://198.51.100.3:1883", "device_id", "gw-17"));
        FleetSettings.InvalidSettingsException e = assertThrows(FleetSettings.InvalidSettingsException.class, () -> FleetSettings.parse(m, HOME));
        assertTrue(e.problems().get(0).startsWith("broker: a tcp:// broker carries policies and commands in clear text"), e.getMessage());
        m.put("allow_plain", "true");
        assertTrue(FleetSettings.parse(m, HOME).plain());
    }

    @Test
    void everyProblemNamesItsKey() {
        Map<String, Object> m = new HashMap<>(Map.of("broker", "ssl://198.51.100.3:8883, http://x:1, ssl://nohost",
                "device_id", "gw/17", "groups", "office,+", "require_signed", "maybe", "keepalive", "soon"));
        FleetSettings.InvalidSettingsException e = assertThrows(FleetSettings.InvalidSettingsException.class, () -> FleetSettings.parse(m, HOME));
        List<String> keys = e.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
        assertEquals(List.of("broker", "broker", "device_id", "groups", "require_signed", "keepalive"), keys, e.getMessage());
    }

    @Test
    void withTlsTheCredentialsHaveDefaultPlaces() throws Exception {
        FleetSettings s = FleetSettings.parse(Map.of("broker", "ssl://broker.example.org:8883", "device_id", "gw-17",
                "groups", "office"), HOME);
        assertEquals(Path.of("/opt/mobilevpn/etc/fleet/ca.pem"), s.ca().orElseThrow());
        assertEquals(Path.of("/opt/mobilevpn/etc/fleet/cert.pem"), s.cert().orElseThrow());
        assertEquals(Path.of("/opt/mobilevpn/etc/fleet/key.pem"), s.key().orElseThrow());
        FleetSettings p12 = FleetSettings.parse(Map.of("broker", "ssl://b:8883", "device_id", "gw-17", "cert", "etc/gw.p12"), HOME);
        assertTrue(p12.key().isEmpty(), "a configured cert brings its own key (PKCS#12) unless key is given");
    }

    @Test
    void requireSignedNeedsASigner() {
        Map<String, Object> m = tls();
        m.put("require_signed", "true");
        assertTrue(assertThrows(FleetSettings.InvalidSettingsException.class, () -> FleetSettings.parse(m, HOME))
                .getMessage().contains("signer: missing"));
    }
}
