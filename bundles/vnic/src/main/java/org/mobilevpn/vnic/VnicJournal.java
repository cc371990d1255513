package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an open NIC changed outside its own device, written down before each change so a later
 * start can undo it after a crash. The device's own addresses and routes need no entry: the
 * kernel removes them with the device when the process holding the TUN descriptor dies.
 *
 * <p>One line per change: {@code route4 SPEC...}, {@code route6 SPEC...} (a host route to the
 * gateway via the underlay) or {@code resolv PATH} (a managed resolv.conf with its backup).
 */
final class VnicJournal {
    static final String SUFFIX = ".journal";

    /** One recorded change. */
    record Entry(String kind, List<String> args) {
        String line() {
            return kind + " " + String.join(" ", args);
        }
    }

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();

    VnicJournal(Path stateDir, String device) {
        this.file = stateDir.resolve(device + SUFFIX);
    }

    Path file() {
        return file;
    }

    static Path resolvBackup(Path stateDir, String device) {
        return stateDir.resolve(device + ".resolv.backup");
    }

    /** The entries already written for this device (a kept device taken over), to go on from. */
    synchronized List<Entry> load() throws IOException {
        entries.clear();
        if (Files.exists(file)) {
            entries.addAll(read(file));
        }
        return List.copyOf(entries);
    }

    synchronized void add(Entry e) throws IOException {
        entries.add(e);
        persist();
    }

    synchronized void remove(Entry e) throws IOException {
        entries.remove(e);
        persist();
    }

    synchronized void delete() throws IOException {
        entries.clear();
        Files.deleteIfExists(file);
    }

    private void persist() throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder s = new StringBuilder();
        for (Entry e : entries) {
            s.append(e.line()).append('\n');
        }
        Files.write(file, s.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    }

    static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] t = line.trim().split("\\s+");
            if (t.length >= 2 && t[0].equals("resolv")) {
                out.add(new Entry(t[0], List.of(line.trim().substring(7)))); // a path may hold spaces
            } else if (t.length >= 2) {
                out.add(new Entry(t[0], List.of(Arrays.copyOfRange(t, 1, t.length))));
            }
        }
        return out;
    }
}
