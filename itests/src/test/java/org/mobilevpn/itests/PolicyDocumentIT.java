package org.mobilevpn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.VpnProfile;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A policy document read inside the runtime's framework: the csp bundle parses it with the Jackson
 * bundles the core feature brings (package imports resolved, not just compiled against), applies it,
 * and refuses a later version over the reader's limits without changing what is applied.
 */
public class PolicyDocumentIT extends RuntimeTestBase {

    /** The watcher polls every second; the rest is generous for a loaded 2-core machine. */
    private static final long WAIT_MILLIS = 20_000;
    private static final String NAME = "itest-office";

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    ProfileRegistry registry;

    private Configuration watcherConfig;
    private Path dir;

    @After
    public void cleanUp() throws Exception {
        if (watcherConfig != null) {
            watcherConfig.delete();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    public void aDocumentIsAppliedAndAVersionOverTheLimitsChangesNothing() throws Exception {
        dir = Files.createTempDirectory("mobilevpn-policy-itest");
        Path file = dir.resolve("policy.json");
        Files.writeString(file, document("aes256gcm16", ""));
        watcherConfig = configAdmin.getConfiguration("org.mobilevpn.csp.policydocument", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("path", file.toString());
        props.put("poll", "1s");
        watcherConfig.update(props);

        await(() -> registry.profile(NAME).isPresent(), "the document's profile is in the registry: " + registry.problems());
        VpnProfile applied = registry.profile(NAME).orElseThrow();

        String nested = "[".repeat(40) + "]".repeat(40);
        Files.writeString(file, document("chacha20poly1305", ", \"comment\": " + nested));
        await(() -> documentProblems().stream().anyMatch(p -> p.message().contains("nesting depth")),
                "the deep document is reported: " + registry.problems());
        ProfileProblem problem = documentProblems().get(0);
        assertTrue(problem.message(), problem.message().startsWith("exceeds a limit: line 1, column "));
        assertEquals("nothing of the refused version is applied", applied, registry.profile(NAME).orElseThrow());

        Files.writeString(file, document("chacha20poly1305", ""));
        await(() -> documentProblems().isEmpty() && !applied.equals(registry.profile(NAME).orElse(applied)),
                "the version within the limits is applied: " + registry.problems());
    }

    private List<ProfileProblem> documentProblems() {
        return registry.problems().stream().filter(p -> p.key().equals("(document)")).toList();
    }

    /** One profile that never starts a connection (no autostart): this test sends no traffic. */
    private static String document(String esp, String more) {
        return "{\"profiles\": {\"" + NAME + "\": {\"remote_addrs\": \"198.51.100.1\", \"auth\": \"psk\","
                + " \"psk\": \"itest-only-psk-0123456789\", \"local_id\": \"client@example.org\", \"autostart\": false,"
                + " \"esp_proposals\": [\"" + esp + "\"]}}" + more + "}";
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + WAIT_MILLIS + " ms: " + what);
            }
            Thread.sleep(100);
        }
    }
}
