package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/**
 * A local user or a script that passes a name along must not get more than the operator meant: crafted
 * connection names given to {@code bin/mobilevpn} reach no Gogo command; the runtime keeps what it writes
 * private (umask 077), fails its provisioning check on a readable file with a secret, and refuses to run as
 * root from a directory others can write.
 */
@SystemTest(tag = "localctl", requires = {"java"})
class LocalControlIT {
    private static final Duration START = Duration.ofSeconds(90);
    /** Names that would break out of a quoted Gogo word, run a second command or a variable expansion. */
    private static final List<String> CRAFTED = List.of("x' | lb #", "x\\' | lb #", "it's; lb", "x'; lb; '",
            "${lb}", "$(lb)", "x\" | lb #", "{ lb }", "a b", "office\nlb", "x'\n lb", "-x", "x".repeat(65));

    @Test
    void craftedNamesReachNoGogoCommandAndTheStoreIsPrivate(SystemTestContext ctx) throws IOException {
        Netns client = ctx.standardNetwork().client();
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        String cli = runtime.home().resolve("bin/mobilevpn").toString();

        for (String verb : List.of("down", "up", "status")) {
            for (String name : CRAFTED) {
                CommandResult r = client.exec(Duration.ofSeconds(60), cli, verb, name);
                assertEquals(2, r.exitCode(), verb + " " + name + ": " + r.stdout() + r.stderr());
                assertTrue(r.stderr().contains("not a connection name"), r.stderr());
                assertFalse(r.stdout().contains("ACTIVE") || r.stdout().contains("Active"), "lb ran: " + r.stdout());
            }
        }
        CommandResult unknown = client.exec(Duration.ofSeconds(60), cli, "down", "no-such-connection");
        assertTrue(unknown.stdout().contains("no-such-connection") || unknown.stderr().contains("no-such-connection"),
                "a well-formed name goes through and is answered: " + unknown.stdout() + unknown.stderr());

        // a profile written 0600 (as OfficeConnection does) keeps the check green; ConfigAdmin's copy is private
        OfficeConnection.writeProfile(runtime, "local-control-it-" + System.nanoTime());
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        String check = secretsLine(runtime.exec("vpn:check").output());
        assertTrue(check.startsWith("ok"), check);
        try (Stream<Path> store = Files.walk(runtime.home().resolve("data"))) {
            List<Path> open = store.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".config"))
                    .filter(LocalControlIT::readableByOthers).toList();
            assertEquals(List.of(), open, "what the runtime writes is for root only");
        }
        Path profile = runtime.etc().resolve("org.mobilevpn.profile-office.cfg");
        Files.setPosixFilePermissions(profile, PosixFilePermissions.fromString("rw-r--r--"));
        String failed = secretsLine(runtime.exec("vpn:check").output());
        assertTrue(failed.startsWith("FAIL") && failed.contains(profile.toString()), failed);
    }

    @Test
    void aRuntimeDirectoryOthersCanWriteIsRefused(SystemTestContext ctx) throws IOException {
        Netns client = ctx.standardNetwork().client();
        Path home = RuntimeProcess.copyDistribution(Files.createTempDirectory(Path.of("/tmp"), "mvpn-lc-"));
        try {
            Files.setPosixFilePermissions(home.resolve("deploy"), PosixFilePermissions.fromString("rwxrwxrwx"));
            CommandResult r = client.exec(Duration.ofSeconds(60), home.resolve("bin/mobilevpn").toString(), "--daemon");
            assertEquals(4, r.exitCode(), r.stdout() + r.stderr());
            assertTrue(r.stderr().contains(home.resolve("deploy") + " is writable by others"), r.stderr());
            assertFalse(Files.exists(home.resolve("data/cache")), "the framework never started");
        } finally {
            org.mobilevpn.testsupport.TestOutput.deleteTree(home.getParent());
        }
    }

    private static String secretsLine(String check) {
        return check.lines().map(String::strip).filter(l -> l.contains("secrets at rest")).findFirst()
                .orElseThrow(() -> new AssertionError("no secrets-at-rest line in vpn:check:\n" + check));
    }

    private static boolean readableByOthers(Path p) {
        try {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            return mode.charAt(3) == 'r' || mode.charAt(6) == 'r';
        } catch (IOException e) {
            return false;
        }
    }
}
