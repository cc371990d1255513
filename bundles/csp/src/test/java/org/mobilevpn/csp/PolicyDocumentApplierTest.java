package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.TestLogger;

/** A document through ConfigAdmin into the registry, the way it runs in the framework (DS simulated). */
class PolicyDocumentApplierTest {
    static final String SOURCE = "/opt/mobilevpn/etc/mobilevpn-policy.json";

    @TempDir
    Path home;
    ProfileRegistryComponent registry;
    FakeConfigurationAdmin cm;
    PolicyDocumentApplier applier;

    @BeforeEach
    void start() {
        registry = new ProfileRegistryComponent();
        registry.logger = new TestLogger();
        registry.bindValidator(ProfileParserTest.VALIDATOR);
        registry.start(home, Runnable::run, Clock.systemUTC());
        cm = new FakeConfigurationAdmin().deliveringTo(registry);
        applier = new PolicyDocumentApplier(cm, registry);
    }

    static String profile(String name, String address, String esp) {
        return "\"" + name + "\": {\"remote_addrs\": \"" + address + "\", \"auth\": \"psk\", \"psk\": \"" + ProfileParserTest.PSK
                + "\", \"local_id\": \"client@example.org\", \"esp_proposals\": [\"" + esp + "\"], \"dpd_delay\": 15}";
    }

    static String doc(String... profiles) {
        return "{\"profiles\": {" + String.join(", ", profiles) + "}}";
    }

    List<String> names() {
        return registry.profiles().stream().map(VpnProfile::name).toList();
    }

    @Test
    void allValidProfilesAreAppliedTogether() {
        PolicyDocumentApplier.Outcome o = applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "aes256gcm16"),
                profile("lab", "gw.example.org:4500", "chacha20poly1305")));
        assertTrue(o.applied(), o.problems().toString());
        assertEquals(List.of("created office", "created lab"), o.changes());
        assertEquals(List.of("lab", "office"), names());
        assertNotNull(cm.configurations.get("org.mobilevpn.profile~office"), "named factory configuration, like FileInstall's");
        assertEquals(SOURCE, cm.byName("office").get(PolicyDocumentApplier.SOURCE));
        assertEquals(15L, registry.profile("office").orElseThrow().ike().dpdDelay().toSeconds());
    }

    @Test
    void oneInvalidProfileMeansNoneIsApplied() {
        applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "aes256gcm16")));
        VpnProfile before = registry.profile("office").orElseThrow();

        PolicyDocumentApplier.Outcome o = applier.apply(SOURCE, doc(profile("office", "198.51.100.9", "aes128gcm16"),
                profile("lab", "300.1.1.1", "aes256gcm16"), profile("guest", "198.51.100.3", "foo256")));
        assertFalse(o.applied());
        assertEquals(List.of("profiles.lab.remote_addrs", "profiles.guest.esp_proposals"), ProfileParserTest.keys(o.problems()));
        assertEquals("lab", o.problems().get(0).profile());
        assertEquals(before, registry.profile("office").orElseThrow(), "the valid office update was not applied either");
        assertEquals(List.of("office"), names());
        assertEquals(1, cm.configurations.size());
        assertFalse(o.problems().toString().contains(ProfileParserTest.PSK));
    }

    @Test
    void updatesOnlyWhatChangedAndLeavesTheRestAlone() {
        applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "aes256gcm16"), profile("lab", "198.51.100.2", "aes256gcm16")));
        long labChanges = ((FakeConfigurationAdmin.FakeConfiguration) cm.configurations.get("org.mobilevpn.profile~lab")).changes;
        PolicyDocumentApplier.Outcome o = applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "chacha20poly1305"),
                profile("lab", "198.51.100.2", "aes256gcm16")));
        assertEquals(List.of("updated office"), o.changes());
        assertEquals(labChanges, ((FakeConfigurationAdmin.FakeConfiguration) cm.configurations.get("org.mobilevpn.profile~lab")).changes);
        assertEquals(List.of("chacha20poly1305"), registry.profile("office").orElseThrow().ike().espProposals());
        assertEquals(List.of(), applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "chacha20poly1305"),
                profile("lab", "198.51.100.2", "aes256gcm16"))).changes(), "the same document again changes nothing");
    }

    @Test
    void deletesWhatItNamesAndWhatItNoLongerHolds() throws Exception {
        Hashtable<String, Object> fromFile = new Hashtable<>(ProfileParserTest.office());
        fromFile.remove("service.pid");
        fromFile.put("name", "manual");
        cm.getFactoryConfiguration(ProfileKeys.FACTORY_PID, "manual", "?").update(fromFile);
        applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "aes256gcm16"), profile("lab", "198.51.100.2", "aes256gcm16")));
        assertEquals(List.of("lab", "manual", "office"), names());

        PolicyDocumentApplier.Outcome o = applier.apply(SOURCE,
                "{\"profiles\": {" + profile("office", "198.51.100.1", "aes256gcm16") + "}, \"delete\": [\"manual\", \"absent\"]}");
        assertTrue(o.applied(), o.problems().toString());
        assertEquals(List.of("deleted manual", "deleted lab"), o.changes());
        assertEquals(List.of("office"), names());
    }

    @Test
    void aDocumentUpdatesAFileProfileOfTheSameNameAndKeepsItsFile() throws Exception {
        Hashtable<String, Object> fromFile = new Hashtable<>(ProfileParserTest.office());
        fromFile.remove("service.pid");
        cm.getFactoryConfiguration(ProfileKeys.FACTORY_PID, "office", "?").update(fromFile);
        PolicyDocumentApplier.Outcome o = applier.apply(SOURCE, doc(profile("office", "198.51.100.7", "aes256gcm16")));
        assertEquals(List.of("updated office"), o.changes());
        assertEquals("file:/opt/mobilevpn/etc/org.mobilevpn.profile-office.cfg", cm.byName("office").get("felix.fileinstall.filename"));
        assertEquals("198.51.100.7", registry.profile("office").orElseThrow().remoteAddrs().get(0).host());
    }

    @Test
    void aConfigAdminFailureHalfWayIsUndone() {
        applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "aes256gcm16"), profile("old", "198.51.100.5", "aes256gcm16")));
        VpnProfile office = registry.profile("office").orElseThrow();
        cm.failAtMutation(3); // update office, create lab, then fail at deleting old
        PolicyDocumentApplier.Outcome o = applier.apply(SOURCE, doc(profile("office", "198.51.100.9", "aes256gcm16"),
                profile("lab", "198.51.100.2", "aes256gcm16")));
        assertFalse(o.applied());
        assertTrue(o.problems().get(0).message().contains("ConfigurationAdmin failed at 'deleted old'"), o.problems().toString());
        assertTrue(o.problems().get(0).message().contains("undid created lab, undid updated office"), o.problems().toString());
        assertEquals(List.of("office", "old"), names());
        assertEquals(office, registry.profile("office").orElseThrow());
    }

    @Test
    void withdrawingDeletesOnlyTheDocumentsOwnProfiles() throws Exception {
        Hashtable<String, Object> manual = new Hashtable<>(ProfileParserTest.office());
        manual.remove("service.pid");
        manual.put("name", "manual");
        cm.getFactoryConfiguration(ProfileKeys.FACTORY_PID, "manual", "?").update(manual);
        applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "aes256gcm16")));
        applier.apply("/elsewhere/other.json", doc(profile("lab", "198.51.100.2", "aes256gcm16")));
        PolicyDocumentApplier.Outcome o = applier.withdraw(SOURCE);
        assertEquals(List.of("deleted office"), o.changes());
        assertEquals(List.of("lab", "manual"), names());
        assertNull(cm.byName("office"));
    }

    @Test
    void garbageDocumentsAreProblemsNeverExceptions() {
        for (String garbage : new String[] {"", "null", "{\"profiles\": null}", "{\"profiles\": {\"x\": {\"psk\": []}}}",
                "{\"profiles\": {\"x\": {\"remote_addrs\": [1, true, 2.5]}}}", "\u0000", "{\"profiles\": [null]}"}) {
            PolicyDocumentApplier.Outcome o = applier.apply(SOURCE, garbage);
            assertTrue(o.applied() == o.problems().isEmpty(), garbage + " -> " + o);
        }
        assertTrue(cm.configurations.isEmpty());
        assertTrue(applier.apply(SOURCE, "{}").applied(), "an empty document is valid and changes nothing");
    }

    @Test
    void aMalformedOrOversizedVersionChangesNothing() {
        applier.apply(SOURCE, doc(profile("office", "198.51.100.1", "aes256gcm16")));
        VpnProfile before = registry.profile("office").orElseThrow();
        String valid = doc(profile("office", "198.51.100.9", "aes128gcm16"), profile("lab", "198.51.100.2", "aes256gcm16"));
        String deep = valid.replace("\"dpd_delay\": 15", "\"dpd_delay\": " + "[".repeat(40) + "]".repeat(40));
        String unterminated = valid.substring(0, valid.length() - 1);
        String tooLong = valid.replace("\"profiles\"", "\"comment\": \"" + "x".repeat(BoundedJsonReader.MAX_STRING + 1)
                + "\", \"profiles\"");
        for (String bad : List.of(deep, unterminated, tooLong)) {
            PolicyDocumentApplier.Outcome o = applier.apply(SOURCE, bad);
            assertFalse(o.applied());
            assertEquals(List.of("(document)"), ProfileParserTest.keys(o.problems()));
            assertEquals(before, registry.profile("office").orElseThrow(), "the office update was not applied");
            assertEquals(List.of("office"), names(), "lab was not created");
        }
        assertTrue(applier.apply(SOURCE, valid).applied(), "the same document within the limits applies");
        assertEquals(List.of("lab", "office"), names());
    }

    @Test
    void documentProblemsShowInTheRegistryUntilCleared() {
        PolicyDocumentApplier.Outcome o = applier.apply(SOURCE, doc(profile("lab", "300.1.1.1", "aes256gcm16")));
        registry.documentProblems(SOURCE, o.problems());
        assertEquals(List.of("profiles.lab.remote_addrs"), ProfileParserTest.keys(registry.problems("lab")));
        registry.documentProblems(SOURCE, List.of());
        assertTrue(registry.problems().isEmpty());
    }
}
