package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.TestLogger;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The file side: each {@link PolicyDocumentWatcher#poll()} is one look at the file, no timing involved. */
class PolicyDocumentWatcherTest {
    @TempDir
    Path home;
    Path file;
    ProfileRegistryComponent registry;
    FakeConfigurationAdmin cm;
    PolicyDocumentWatcher watcher;
    final List<Event> posted = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        file = home.resolve("etc/mobilevpn-policy.json");
        registry = new ProfileRegistryComponent();
        registry.logger = new TestLogger();
        registry.bindValidator(ProfileParserTest.VALIDATOR);
        registry.start(home, Runnable::run, Clock.systemUTC());
        cm = new FakeConfigurationAdmin().deliveringTo(registry);
        watcher = new PolicyDocumentWatcher(file, new PolicyDocumentApplier(cm, registry), registry);
        watcher.logger = new TestLogger();
        watcher.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        };
    }

    List<String> names() {
        return registry.profiles().stream().map(VpnProfile::name).toList();
    }

    void write(String... profiles) throws Exception {
        Files.writeString(file, PolicyDocumentApplierTest.doc(profiles));
    }

    @Test
    void appliesOnChangeRejectsInvalidVersionsAndWithdrawsWhenRemoved() throws Exception {
        watcher.poll(); // no file yet: nothing happens
        assertTrue(names().isEmpty());

        write(PolicyDocumentApplierTest.profile("office", "198.51.100.1", "aes256gcm16"));
        watcher.poll();
        assertEquals(List.of("office"), names());
        long changes = cm.configurations.values().iterator().next().changes;
        watcher.poll();
        assertEquals(changes, cm.configurations.values().iterator().next().changes, "unchanged file: not applied again");

        write(PolicyDocumentApplierTest.profile("office", "198.51.100.1", "chacha20poly1305"),
                PolicyDocumentApplierTest.profile("lab", "198.51.100.2", "foo256"));
        watcher.poll();
        assertEquals(List.of("aes256gcm16"), registry.profile("office").orElseThrow().ike().espProposals(), "nothing applied");
        assertEquals(List.of("profiles.lab.esp_proposals"), ProfileParserTest.keys(registry.problems()));
        Event e = posted.get(0);
        assertEquals("org/mobilevpn/profile/INVALID", e.getTopic());
        assertEquals("lab", e.getProperty("name"));
        assertEquals(file.toString(), e.getProperty("source"));
        assertTrue(((String) e.getProperty("message")).contains("unknown algorithm keyword 'foo256'"));
        assertFalse(((String) e.getProperty("message")).contains(ProfileParserTest.PSK));

        write(PolicyDocumentApplierTest.profile("office", "198.51.100.1", "chacha20poly1305"),
                PolicyDocumentApplierTest.profile("lab", "198.51.100.2", "aes256gcm16"));
        watcher.poll();
        assertEquals(List.of("lab", "office"), names());
        assertTrue(registry.problems().isEmpty(), "a valid version clears the document's problems");

        Files.delete(file);
        watcher.poll();
        assertTrue(names().isEmpty(), "a removed document takes its profiles with it");
    }

    @Test
    void brokenFilesAreReportedWithTheirFileName() throws Exception {
        Files.write(file, new byte[] {'{', (byte) 0xff, '}'});
        watcher.poll();
        assertEquals("(document)", registry.problems().get(0).key());
        assertTrue(registry.problems().get(0).message().contains("UTF-8"));
        assertEquals("mobilevpn-policy.json", posted.get(0).getProperty("name"));

        Files.writeString(file, "{\"profiles\": ");
        watcher.poll();
        assertTrue(registry.problems().get(0).message().startsWith("is not valid JSON: line 1, column 14"), registry.problems().toString());
    }

    @Test
    void aFileTooLargeToBeADocumentIsRejectedOnceAndItsPredecessorStays() throws Exception {
        write(PolicyDocumentApplierTest.profile("office", "198.51.100.1", "aes256gcm16"));
        watcher.poll();
        Files.write(file, new byte[PolicyDocumentWatcher.MAX_SIZE + 1]);
        watcher.poll();
        assertEquals(List.of("office"), names(), "nothing applied, nothing withdrawn");
        assertEquals("(document)", registry.problems().get(0).key());
        assertTrue(registry.problems().get(0).message().startsWith("exceeds a limit: the file has more than "
                + PolicyDocumentWatcher.MAX_SIZE + " bytes"), registry.problems().toString());
        watcher.poll();
        assertEquals(1, posted.size(), "the same file is reported once, not on every poll");

        Files.delete(file);
        watcher.poll();
        assertTrue(names().isEmpty(), "removing the file still withdraws what the document created");
    }

    @Test
    void aDocumentRemovedWhileTheRuntimeWasDownIsWithdrawnAtStart() throws Exception {
        write(PolicyDocumentApplierTest.profile("office", "198.51.100.1", "aes256gcm16"));
        watcher.poll();
        Files.delete(file);
        PolicyDocumentWatcher restarted = new PolicyDocumentWatcher(file, new PolicyDocumentApplier(cm, registry), registry);
        restarted.logger = new TestLogger();
        restarted.poll();
        assertTrue(names().isEmpty());
    }

    @Test
    void pollIntervalsAreStrongSwanTimesOfAtLeastOneSecond() {
        assertEquals(Duration.ofSeconds(30), PolicyDocumentWatcher.pollInterval("30s"));
        assertEquals(Duration.ofSeconds(1), PolicyDocumentWatcher.pollInterval("0"));
        assertEquals(Duration.ofSeconds(2), PolicyDocumentWatcher.pollInterval("often"));
    }
}
