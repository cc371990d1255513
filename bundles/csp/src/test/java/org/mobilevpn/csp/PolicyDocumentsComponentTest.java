package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.csp.PolicyDocumentApplierTest.doc;
import static org.mobilevpn.csp.PolicyDocumentApplierTest.profile;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.profile.PolicyDocumentOutcome;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.TestLogger;

/** The policy-document service other bundles call: the same all-or-nothing path, problems in the registry. */
class PolicyDocumentsComponentTest {
    static final String SOURCE = "mqtt:mobilevpn/v1/group/office/policy";

    @TempDir
    Path home;

    @Test
    void appliesRejectsWithTheKeyAndWithdrawsBySource() {
        ProfileRegistryComponent registry = new ProfileRegistryComponent();
        registry.logger = new TestLogger();
        registry.bindValidator(ProfileParserTest.VALIDATOR);
        registry.start(home, Runnable::run, Clock.systemUTC());
        PolicyDocumentsComponent documents = new PolicyDocumentsComponent();
        documents.logger = new TestLogger();
        documents.configAdmin = new FakeConfigurationAdmin().deliveringTo(registry);
        documents.store = registry;
        documents.activate();

        PolicyDocumentOutcome ok = documents.apply(SOURCE, doc(profile("office", "198.51.100.1", "aes256gcm16")));
        assertTrue(ok.applied(), ok.problems().toString());
        assertEquals(List.of("created office"), ok.changes());

        PolicyDocumentOutcome bad = documents.apply(SOURCE, doc(profile("office", "300.1.1.1", "aes256gcm16")));
        assertFalse(bad.applied());
        assertEquals(List.of("profiles.office.remote_addrs"), ProfileParserTest.keys(bad.problems()));
        assertEquals(List.of("profiles.office.remote_addrs"), ProfileParserTest.keys(registry.problems("office")),
                "listed with the registry's problems");
        assertEquals("198.51.100.1", registry.profile("office").orElseThrow().remoteAddrs().get(0).host(),
                "the running profile is untouched");

        PolicyDocumentOutcome gone = documents.withdraw(SOURCE);
        assertTrue(gone.applied());
        assertEquals(List.of("deleted office"), gone.changes());
        assertEquals(List.of(), registry.profiles().stream().map(VpnProfile::name).toList());
        assertTrue(registry.problems().isEmpty(), "withdrawing clears the document's problems");
    }
}
