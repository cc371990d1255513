package org.mobilevpn.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The revision applied from each policy topic, kept across restarts (a small JSON file in the bundle's
 * data area) so that a retained document older than what the device runs is still recognised as older
 * after a restart, e.g. one left behind on another broker of the list. Not thread-safe: the agent's
 * serial executor owns it.
 */
public final class AppliedRevisions {
    private final Path file;
    private final Map<String, Long> byTopic = new TreeMap<>();

    /** @param file where the revisions are kept; null keeps them in memory only */
    public AppliedRevisions(Path file) {
        this.file = file;
        if (file != null && Files.isRegularFile(file)) {
            try {
                Json.object(Files.readAllBytes(file)).forEach((topic, rev) -> {
                    if (rev instanceof Number n) {
                        byTopic.put(topic, n.longValue());
                    }
                });
            } catch (IOException | Json.JsonException e) {
                // unreadable: start without; the retained documents are applied again, which is harmless
            }
        }
    }

    /** The revision applied from {@code topic}, or null. */
    public Long get(String topic) {
        return byTopic.get(topic);
    }

    /** A copy, sorted by topic. */
    public Map<String, Long> all() {
        return new TreeMap<>(byTopic);
    }

    /** The highest revision applied from any topic, or null when none. */
    public Long highest() {
        return byTopic.values().stream().max(Long::compare).orElse(null);
    }

    public void put(String topic, long revision) throws IOException {
        byTopic.put(topic, revision);
        save();
    }

    public void remove(String topic) throws IOException {
        if (byTopic.remove(topic) != null) {
            save();
        }
    }

    private void save() throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, Json.write(byTopic).getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
