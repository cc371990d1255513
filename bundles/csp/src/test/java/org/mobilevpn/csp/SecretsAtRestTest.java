package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.profile.ProvisioningItem;

class SecretsAtRestTest {
    @TempDir
    Path home;

    private Path file(String relative, String text, String mode) throws IOException {
        Path f = home.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void privateFilesPass() throws IOException {
        file("etc/org.mobilevpn.profile-office.cfg", "name = office\npsk = a-long-random-secret\n", "rw-------");
        file("etc/framework.properties", "org.osgi.service.http.port=8080\n", "rw-r--r--");
        file("data/cache/bundle7/data/config/org/mobilevpn/profile/x.config", "psk=\"s\"\n", "rw-------");
        ProvisioningItem item = SecretsAtRest.check(home);
        assertTrue(item.passed(), item.toString());
    }

    @Test
    void aReadableFileWithASecretOrAReadableStoreFileFailsNamingIt() throws IOException {
        Path profile = file("etc/org.mobilevpn.profile-office.cfg", "name = office\n  psk = short\n", "rw-r--r--");
        Path console = file("etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg", "password = x\n", "rw-r-----");
        file("etc/org.mobilevpn.metrics.cfg", "port = 9477\n", "rw-r--r--");
        Path store = file("data/cache/bundle7/data/config/org/mobilevpn/profile/x.config", "psk=\"s\"\n", "rw-r--r--");
        ProvisioningItem item = SecretsAtRest.check(home);
        assertFalse(item.passed());
        assertEquals(SecretsAtRest.CHECK, item.check());
        for (Path p : new Path[] {profile, console, store}) {
            assertTrue(item.detail().contains(p.toString()), item.detail());
        }
        assertFalse(item.detail().contains("metrics"), "a file without a secret may be readable: " + item.detail());
    }
}
