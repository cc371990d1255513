package org.mobilevpn.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a root daemon must not trust: a runtime directory that another user can write. Whoever can write
 * deploy/, bundle/, lib/, bin/ or etc/ (or replace one of them) runs code or sets {@code ip_command} as
 * root, so the runtime refuses to start; and a file in etc/ that holds a secret (a PSK, a key password, a
 * credential) must not be readable by the group or others, so the launcher warns about it (the
 * provisioning check reports the same, and the launcher's umask 077 keeps what the runtime writes private).
 */
final class RuntimeDirectoryCheck {

    /** Directories whose contents are code or configuration; checked with everything below them. */
    private static final List<String> TRUSTED = List.of("bin", "lib", "bundle", "deploy", "etc");
    /** A configuration line that sets a secret (the profile keys psk and key_password, any password). */
    private static final Pattern SECRET_LINE = Pattern.compile("(?m)^\\s*\"?(psk|key_password|password)\"?\\s*[=:]");

    private RuntimeDirectoryCheck() {
    }

    /** The reasons not to start: paths writable by the group or others. Empty when all is well. */
    static List<String> writableByOthers(Path home) {
        List<String> problems = new ArrayList<>();
        check(home, problems);
        check(home.resolve("data"), problems);
        for (String dir : TRUSTED) {
            Path d = home.resolve(dir);
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(d)) {
                tree.forEach(p -> check(p, problems));
            } catch (IOException | UncheckedIOException e) {
                problems.add(d + " cannot be read: " + e.getMessage());
            }
        }
        return problems;
    }

    /** Warnings for files in etc/ that hold a secret and can be read by the group or others. */
    static List<String> readableSecrets(Path home) {
        List<String> warnings = new ArrayList<>();
        Path etc = home.resolve("etc");
        if (!Files.isDirectory(etc)) {
            return warnings;
        }
        try (Stream<Path> files = Files.list(etc)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> {
                Set<PosixFilePermission> p = permissions(f);
                if (p != null && (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ))
                        && holdsSecret(f)) {
                    warnings.add(f + " holds a secret and is readable by "
                            + (p.contains(PosixFilePermission.OTHERS_READ) ? "others" : "its group") + " ("
                            + PosixFilePermissions.toString(p) + "): chmod 600 it");
                }
            });
        } catch (IOException e) {
            warnings.add(etc + " cannot be listed: " + e.getMessage());
        }
        return warnings;
    }

    private static boolean holdsSecret(Path file) {
        try {
            return SECRET_LINE.matcher(Files.readString(file)).find();
        } catch (IOException | UncheckedIOException e) {
            return false; // not text: not a configuration file
        }
    }

    private static void check(Path p, List<String> problems) {
        Set<PosixFilePermission> perms = permissions(p);
        if (perms == null || Files.isSymbolicLink(p)) {
            return;
        }
        boolean group = perms.contains(PosixFilePermission.GROUP_WRITE);
        boolean others = perms.contains(PosixFilePermission.OTHERS_WRITE);
        if (group || others) {
            problems.add(p + " is writable by " + (others ? "others" : "its group") + " ("
                    + PosixFilePermissions.toString(perms) + "): chmod go-w it");
        }
    }

    private static Set<PosixFilePermission> permissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
