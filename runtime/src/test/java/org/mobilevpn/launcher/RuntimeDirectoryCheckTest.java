package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeDirectoryCheckTest {
    @TempDir
    Path home;

    private void layout() throws IOException {
        for (String d : List.of("bin", "lib", "bundle/2", "deploy", "etc", "data")) {
            Files.createDirectories(home.resolve(d));
            Files.setPosixFilePermissions(home.resolve(d), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("deploy/org.mobilevpn.ike.jar"), "jar");
    }

    @Test
    void aDirectoryOnlyItsOwnerCanChangePasses() throws IOException {
        layout();
        assertEquals(List.of(), RuntimeDirectoryCheck.writableByOthers(home));
    }

    @Test
    void everyPathOthersCanWriteIsNamed() throws IOException {
        layout();
        Files.setPosixFilePermissions(home.resolve("deploy"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(home.resolve("deploy/org.mobilevpn.ike.jar"), PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setPosixFilePermissions(home.resolve("bundle/2"), PosixFilePermissions.fromString("rwxrwxr-x"));
        List<String> problems = RuntimeDirectoryCheck.writableByOthers(home);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches(".*/bundle/2 is writable by its group \\(rwxrwxr-x\\): chmod go-w it"), problems.get(0));
        assertTrue(problems.stream().anyMatch(p -> p.contains("/deploy is writable by others")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("/deploy/org.mobilevpn.ike.jar is writable by its group")));
    }

    @Test
    void aSecretInEtcReadableByOthersIsWarnedAbout() throws IOException {
        layout();
        Path profile = Files.writeString(home.resolve("etc/org.mobilevpn.profile-a.cfg"), "name = a\npsk = 0sAAAA\n");
        Files.setPosixFilePermissions(profile, PosixFilePermissions.fromString("rw-r--r--"));
        Path plain = Files.writeString(home.resolve("etc/framework.properties"), "x = 1\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> warnings = RuntimeDirectoryCheck.readableSecrets(home);
        assertEquals(List.of(profile + " holds a secret and is readable by others (rw-r--r--): chmod 600 it"), warnings);
        Files.setPosixFilePermissions(profile, PosixFilePermissions.fromString("rw-------"));
        assertEquals(List.of(), RuntimeDirectoryCheck.readableSecrets(home));
    }
}
