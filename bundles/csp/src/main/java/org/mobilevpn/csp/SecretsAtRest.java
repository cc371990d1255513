package org.mobilevpn.csp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mobilevpn.api.profile.ProvisioningItem;

/**
 * Secrets on disk are for root only: the configuration files of etc/ that set a PSK, a key password or a
 * password, and ConfigAdmin's store under data/ (which holds every profile's PSK as the runtime saw it).
 * A file readable by its group or by others fails the provisioning check with its path; under umask 022 that
 * is what a copied or hand-written file is (the launcher runs the runtime itself under umask 077).
 */
final class SecretsAtRest {
    static final String CHECK = "secrets at rest";
    private static final Pattern SECRET_LINE = Pattern.compile("(?m)^\\s*\"?(psk|key_password|password)\"?\\s*[=:]");
    /** Deep enough for Felix ConfigAdmin's store: data/cache/bundleN/data/config/org/.../pid.config. */
    private static final int STORE_DEPTH = 12;

    private SecretsAtRest() {
    }

    static ProvisioningItem check(Path home) {
        List<String> open = new ArrayList<>();
        try {
            list(home.resolve("etc"), 1).filter(SecretsAtRest::setsASecret).filter(SecretsAtRest::readableByOthers)
                    .forEach(f -> open.add(f.toString()));
            list(home.resolve("data"), STORE_DEPTH)
                    .filter(f -> f.getFileName().toString().endsWith(".config") && f.toString().contains("/config/"))
                    .filter(SecretsAtRest::readableByOthers).forEach(f -> open.add(f.toString()));
        } catch (IOException | UncheckedIOException e) {
            return new ProvisioningItem(CHECK, false, "cannot be checked: " + e.getMessage());
        }
        if (open.isEmpty()) {
            return new ProvisioningItem(CHECK, true, "configuration files with secrets are readable by their owner only");
        }
        return new ProvisioningItem(CHECK, false, "readable by group or others, chmod 600: " + String.join(", ", open));
    }

    private static Stream<Path> list(Path dir, int depth) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> walk = Files.walk(dir, depth)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList().stream();
        }
    }

    private static boolean setsASecret(Path file) {
        try {
            return SECRET_LINE.matcher(Files.readString(file)).find();
        } catch (IOException | UncheckedIOException e) {
            return false; // not a text file: no configuration
        }
    }

    private static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
