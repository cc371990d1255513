package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConsoleCredentialTest {
    @TempDir
    Path home;

    private void withWebConsole() throws IOException {
        Files.createDirectories(home.resolve("bundle/2"));
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("bundle/2/org.apache.felix.webconsole-5.0.18.jar"), "jar");
    }

    @Test
    void theFirstStartMakesAPrivateLoginWhoseHashTheConsoleChecks() throws IOException {
        withWebConsole();
        assertTrue(WebConsoleCredential.ensure(home, new SecureRandom()));
        Path config = home.resolve(WebConsoleCredential.CONFIG);
        Path clear = home.resolve(WebConsoleCredential.CLEAR);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(clear)));
        String password = Files.readString(clear).lines().filter(l -> l.startsWith("password = ")).findFirst().orElseThrow()
                .substring("password = ".length());
        assertEquals(24, password.length());
        assertTrue(Files.readString(config).contains("password = " + WebConsoleCredential.hashed(password)));
        assertFalse(Files.readString(config).contains(password), "no clear text in etc/");
        assertTrue(WebConsoleCredential.describe(home).endsWith("password " + password));

        assertFalse(WebConsoleCredential.ensure(home, new SecureRandom()), "made once");
    }

    @Test
    void theOperatorsOwnLoginIsLeftAsItIs() throws IOException {
        withWebConsole();
        Files.writeString(home.resolve("etc/" + WebConsoleCredential.PID + ".config"), "password=\"mine\"\n");
        assertFalse(WebConsoleCredential.ensure(home, new SecureRandom()));
        assertTrue(WebConsoleCredential.describe(home).startsWith("no generated credential"));
    }

    @Test
    void aLoginChangedAfterwardsIsNotShownAsCurrent() throws IOException {
        withWebConsole();
        WebConsoleCredential.ensure(home, new SecureRandom());
        Files.writeString(home.resolve(WebConsoleCredential.CONFIG), "username = admin\npassword = changed\n");
        assertTrue(WebConsoleCredential.describe(home).startsWith("the generated credential is no longer in use"));
    }

    @Test
    void withoutTheWebFeatureNothingIsMade() throws IOException {
        Files.createDirectories(home.resolve("bundle/2"));
        assertFalse(WebConsoleCredential.ensure(home, new SecureRandom()));
        assertFalse(Files.exists(home.resolve(WebConsoleCredential.CONFIG)));
    }

    @Test
    void theHashIsTheOneFelixReadsAsSha256() {
        // the SHA-256 of "password", base64: a fixed value anyone can recompute
        assertEquals("{sha-256}XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=", WebConsoleCredential.hashed("password"));
    }
}
