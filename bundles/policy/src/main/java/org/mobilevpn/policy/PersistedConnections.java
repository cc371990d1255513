package org.mobilevpn.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.mobilevpn.api.profile.VpnProfile;
import org.osgi.service.log.Logger;

/**
 * The connections the operator wants up, kept in one text file (a name per line) so that a restart
 * or a reboot brings them back. Written atomically (temporary file, then rename), so a crash leaves
 * the old or the new set, never half of one. Lines that are not valid connection names are ignored
 * with a warning instead of failing the start.
 */
final class PersistedConnections {
    private final Path file;
    private final Logger log;
    private final Set<String> names = new TreeSet<>();

    /** Reads {@code file} if it exists. */
    PersistedConnections(Path file, Logger log) {
        this.file = file;
        this.log = log;
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String name = line.strip();
                    if (name.isEmpty() || name.startsWith("#")) {
                        continue;
                    }
                    if (VpnProfile.NAME.matcher(name).matches()) {
                        names.add(name);
                    } else {
                        log.warn(file + ": ignoring '" + name + "', not a connection name");
                    }
                }
            } catch (IOException e) {
                log.error("cannot read the wanted connections from " + file + ": " + e.getMessage());
            }
        }
    }

    /** The names, sorted. */
    synchronized List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(names));
    }

    synchronized boolean contains(String name) {
        return names.contains(name);
    }

    /** Adds or removes a name and writes the file if that changed the set. */
    synchronized void set(String name, boolean wanted) {
        if (wanted ? names.add(name) : names.remove(name)) {
            try {
                write();
            } catch (IOException e) {
                log.error("cannot save the wanted connections to " + file + ": " + e.getMessage());
            }
        }
    }

    private void write() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder("# connections to keep up (written by the mobilevpn policy manager)\n");
        names.forEach(n -> text.append(n).append('\n'));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** For tests: the file. */
    Path file() {
        return file;
    }
}
