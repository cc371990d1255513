package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.profile.ProfileEvent;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.TestLogger;

class ConnectionManagerTest {
    @TempDir
    Path dir;
    final Fakes f = Fakes.create();
    final ManualScheduler scheduler = new ManualScheduler();
    final Fakes.RecordingEvents events = new Fakes.RecordingEvents();
    final TestLogger log = new TestLogger();

    ConnectionManager manager() {
        ConnectionContext ctx = new ConnectionContext(f.services(), events, log, scheduler, scheduler.clock, () -> 0.5,
                PolicySettings.defaults(), (n, w) -> { });
        ConnectionManager m = new ConnectionManager(ctx, new PersistedConnections(dir.resolve("wanted"), log));
        m.start();
        return m;
    }

    static ProfileEvent added(VpnProfile p) {
        return new ProfileEvent(ProfileEvent.Kind.ADDED, p.name(), p, List.of());
    }

    @Test
    void aConnectionWantedBeforeARestartComesBackWhenItsProfileArrives() {
        ConnectionManager first = manager();
        first.profileChanged(added(ConnectionTest.profile()));
        first.connect("office", n -> List.of());
        scheduler.runPending();
        first.shutdown(false);
        assertEquals(List.of("office CONNECTING REQUESTED", "office DISABLED SHUTDOWN"), events.events);
        events.events.clear();

        ConnectionManager second = manager(); // the restart: same data file
        ConnectionStatus waiting = second.status("office").orElseThrow();
        assertEquals(ConnectionState.DISABLED, waiting.state());
        assertTrue(waiting.wanted());
        second.profileChanged(added(ConnectionTest.profile()));
        scheduler.runPending();
        assertEquals(List.of("office CONNECTING PERSISTED"), events.events);
        assertEquals(2, f.engine.sessions.size());
    }

    @Test
    void listsProfilesAndWantedConnectionsSorted() {
        ConnectionManager m = manager();
        m.profileChanged(added(ConnectionTest.profile()));
        m.profileChanged(added(VpnProfileNames.named("lab")));
        assertEquals(List.of("lab", "office"), m.list());
        assertEquals(List.of("lab", "office"), m.statusAll().stream().map(ConnectionStatus::name).toList());
    }

    @Test
    void connectingAnUnknownOrInvalidProfileSaysWhyInOneLine() {
        ConnectionManager m = manager();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> m.connect("nowhere", n -> List.of()));
        assertEquals("no profile named 'nowhere'", unknown.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> m.connect("broken",
                n -> List.of(new ProfileProblem(n, "remote_addrs", "'300.1.1.1' is not a host name or IP address"),
                        new ProfileProblem(n, "psk", "missing: auth = psk needs a pre-shared key"))));
        assertEquals("profile 'broken' is invalid: remote_addrs: '300.1.1.1' is not a host name or IP address; "
                + "psk: missing: auth = psk needs a pre-shared key", invalid.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.disconnect("nowhere"));
    }

    @Test
    void rekeyingByHandNamesAnUnknownConnectionOrTheStateOfOneThatIsNotUp() {
        ConnectionManager m = manager();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> m.rekey("nowhere", false));
        assertEquals("no connection named 'nowhere'", unknown.getMessage());
        m.profileChanged(added(ConnectionTest.profile()));
        IllegalStateException down = assertThrows(IllegalStateException.class, () -> m.rekey("office", true));
        assertEquals("office is DISABLED, not CONNECTED: there is no SA to rekey", down.getMessage());
    }

    @Test
    void disconnectingAConnectionWhoseProfileIsGoneForgetsIt() {
        ConnectionManager m = manager();
        m.profileChanged(added(ConnectionTest.profile()));
        m.connect("office", n -> List.of());
        scheduler.runPending();
        m.profileChanged(new ProfileEvent(ProfileEvent.Kind.REMOVED, "office", null, List.of()));
        ConnectionStatus failed = m.status("office").orElseThrow();
        assertEquals(ConnectionState.FAILED, failed.state());
        assertEquals(FailureReason.INVALID_PROFILE, failed.lastError().orElseThrow().reason());
        m.disconnect("office");
        assertEquals(List.of(), m.list());
    }

    @Test
    void anInvalidUpdateKeepsTheRunningTunnel() {
        ConnectionManager m = manager();
        m.profileChanged(added(ConnectionTest.profile()));
        m.connect("office", n -> List.of());
        scheduler.runPending();
        f.engine.last().listener.childSaEstablished(Fakes.child(ConnectionTest.SPI_IN, ConnectionTest.SPI_OUT));
        scheduler.runPending();
        m.profileChanged(new ProfileEvent(ProfileEvent.Kind.INVALID, "office", ConnectionTest.profile(),
                List.of(new ProfileProblem("office", "esp_proposals", "unknown keyword 'foo'"))));
        assertEquals(ConnectionState.CONNECTED, m.status("office").orElseThrow().state());
        assertTrue(log.lines.stream().anyMatch(l -> l.contains("keeping the previous version: office: esp_proposals")));
        assertEquals(1, f.engine.sessions.size());
    }

    @Test
    void theProblemsOfAnInvalidNewProfileAreLoggedAndShownWhenItIsWanted() {
        ConnectionManager m = manager();
        m.profileChanged(new ProfileEvent(ProfileEvent.Kind.INVALID, "office", null,
                List.of(new ProfileProblem("office", "psk", "missing"))));
        assertEquals(List.of(), m.list());
        assertTrue(log.lines.get(log.lines.size() - 1).contains("office: invalid profile: psk: missing"));
    }

    /** Minimal valid profiles by name. */
    static final class VpnProfileNames {
        static VpnProfile named(String name) {
            return VpnProfile.builder(IkeSessionConfig.builder(name).localId(ConnectionTest.profile().ike().localId())
                    .psk(org.mobilevpn.api.ipsec.SecretBytes.copyOf(new byte[] {7})))
                    .remoteAddrs(ConnectionTest.profile().remoteAddrs()).build();
        }
    }
}
