package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.testsupport.TestLogger;

class PersistedConnectionsTest {
    @TempDir
    Path dir;

    @Test
    void theWantedSetSurvivesARestart() {
        TestLogger log = new TestLogger();
        Path file = dir.resolve("data/wanted-connections");
        PersistedConnections first = new PersistedConnections(file, log);
        assertEquals(List.of(), first.names());
        first.set("office", true);
        first.set("lab", true);
        first.set("office", false);
        first.set("home", true);

        PersistedConnections again = new PersistedConnections(file, log);
        assertEquals(List.of("home", "lab"), again.names());
        assertTrue(again.contains("lab"));
        assertFalse(again.contains("office"));
        assertTrue(log.lines.isEmpty(), log.lines.toString());
        assertFalse(Files.exists(file.resolveSibling("wanted-connections.tmp")));
    }

    @Test
    void unchangedSetsAreNotRewritten() throws Exception {
        Path file = dir.resolve("wanted");
        PersistedConnections p = new PersistedConnections(file, new TestLogger());
        p.set("office", true);
        Files.writeString(file, "office\n# marker\n");
        p.set("office", true);
        assertTrue(Files.readString(file).contains("# marker"));
    }

    @Test
    void garbageLinesAreIgnoredWithAWarningInsteadOfFailingTheStart() throws Exception {
        Path file = dir.resolve("wanted");
        Files.writeString(file, "# comment\noffice\n\n../../etc/passwd\n  lab  \n");
        TestLogger log = new TestLogger();
        assertEquals(List.of("lab", "office"), new PersistedConnections(file, log).names());
        assertEquals(1, log.lines.size());
        assertTrue(log.lines.get(0).contains("../../etc/passwd"));
    }

    @Test
    void anUnwritableFileIsReportedNotThrown() throws Exception {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where a directory should be");
        TestLogger log = new TestLogger();
        PersistedConnections p = new PersistedConnections(blocker.resolve("wanted"), log);
        p.set("office", true);
        assertTrue(p.contains("office"));
        assertTrue(log.lines.get(0).startsWith("ERROR cannot save"), log.lines.toString());
    }
}
