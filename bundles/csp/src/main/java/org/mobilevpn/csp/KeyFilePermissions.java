package org.mobilevpn.csp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Warns when a file holding a secret (private key, PKCS#12 container, a policy document with PSKs) is
 * readable by the group or by others: like ssh and strongSwan, we use the key anyway but tell the
 * operator to {@code chmod 600} it.
 */
final class KeyFilePermissions {

    private KeyFilePermissions() {
    }

    /** The warning for this file, if it is too open; empty on file systems without POSIX modes. */
    static Optional<String> check(String key, Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            boolean group = p.contains(PosixFilePermission.GROUP_READ);
            boolean others = p.contains(PosixFilePermission.OTHERS_READ);
            if (!group && !others) {
                return Optional.empty();
            }
            return Optional.of(key + ": " + file + " holds a secret and is readable by "
                    + (group && others ? "group and others" : group ? "its group" : "others")
                    + " (" + PosixFilePermissions.toString(p) + "); chmod 600 it");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}
