package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.vnic.PreferredUplinkRoute;
import org.mobilevpn.api.vnic.VnicException;
import org.mobilevpn.testsupport.TestLogger;

/** The gateway's route on the preferred uplink before a tunnel exists: who removes it, and what a crash leaves. */
class PreferredUplinkRoutesTest {
    @TempDir
    Path dir;
    final StaleStateCleanerTest.RecordingRunner runner = new StaleStateCleanerTest.RecordingRunner();

    VnicSettings settings() {
        return new VnicSettings(Path.of("/dev/net/tun"), "ip", dir.resolve("resolv.conf"), dir.resolve("state"), "mvpn");
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aHandshakeThatEndsBeforeItsTunnelRemovesTheRouteAndItsJournal() throws Exception {
        PreferredUplinkRoutes routes = new PreferredUplinkRoutes(settings(), runner, new TestLogger());
        PreferredUplinkRoute r = routes.route(ip("198.51.100.1"), "cell0", ip("100.64.0.1"));
        assertEquals(List.of("ip", "-4", "route", "replace", "198.51.100.1/32", "via", "100.64.0.1", "dev", "cell0"),
                runner.commands.get(0));
        Path journal = dir.resolve("state").resolve("pin-198.51.100.1" + VnicJournal.SUFFIX);
        assertTrue(Files.exists(journal), "journaled before it is set");
        r.close();
        r.close();
        assertEquals(List.of(List.of("ip", "-4", "route", "replace", "198.51.100.1/32", "via", "100.64.0.1", "dev", "cell0"),
                List.of("ip", "-4", "route", "del", "198.51.100.1/32", "via", "100.64.0.1", "dev", "cell0")),
                runner.commands, "removed once");
        assertFalse(Files.exists(journal));
    }

    @Test
    void aRouteTheNicTookOverStaysWhenTheHandleCloses() throws Exception {
        PreferredUplinkRoutes routes = new PreferredUplinkRoutes(settings(), runner, new TestLogger());
        PreferredUplinkRoute r = routes.route(ip("2001:db8:1::1"), "cell0", null);
        routes.takenOver(ip("2001:db8:1::1"));
        r.close();
        routes.closeAll();
        assertEquals(List.of(List.of("ip", "-6", "route", "replace", "2001:db8:1:0:0:0:0:1/128", "dev", "cell0")),
                runner.commands, "the NIC's now: it removes it");
        assertFalse(Files.exists(dir.resolve("state").resolve("pin-2001:db8:1:0:0:0:0:1" + VnicJournal.SUFFIX)),
                "the NIC journals it");
    }

    @Test
    void aCrashLeavesAJournalTheNextStartUndoes() throws Exception {
        new PreferredUplinkRoutes(settings(), runner, new TestLogger()).route(ip("198.51.100.1"), "cell0", ip("100.64.0.1"));
        runner.commands.clear();
        new StaleStateCleaner(settings(), runner, new TestLogger()).clean();
        assertEquals(List.of("ip", "-4", "route", "del", "198.51.100.1/32", "via", "100.64.0.1", "dev", "cell0"),
                runner.commands.get(0));
        assertFalse(Files.exists(dir.resolve("state").resolve("pin-198.51.100.1" + VnicJournal.SUFFIX)));
    }

    @Test
    void theFactoryGoingRemovesWhatNoNicTookAndALaterRouteReplacesAnEarlierOne() throws Exception {
        PreferredUplinkRoutes routes = new PreferredUplinkRoutes(settings(), runner, new TestLogger());
        PreferredUplinkRoute first = routes.route(ip("198.51.100.1"), "cell0", ip("100.64.0.1"));
        routes.route(ip("198.51.100.1"), "wan0", null);
        first.close(); // replaced: the later one's to remove
        routes.closeAll();
        assertEquals(List.of("ip", "-4", "route", "del", "198.51.100.1/32", "dev", "wan0"),
                runner.commands.get(runner.commands.size() - 1));
        assertEquals(3, runner.commands.size(), runner.commands.toString());
    }

    @Test
    void aRouteTheKernelRefusesIsAnErrorNamingTheCommandAndLeavesNoJournal() throws Exception {
        CommandRunner refusing = command -> new CommandRunner.Result(2, "Error: Nexthop has invalid gateway.");
        PreferredUplinkRoutes routes = new PreferredUplinkRoutes(settings(), refusing, new TestLogger());
        VnicException e = assertThrows(VnicException.class, () -> routes.route(ip("198.51.100.1"), "cell0",
                ip("100.64.0.1")));
        assertTrue(e.getMessage().contains("ip -4 route replace 198.51.100.1/32 via 100.64.0.1 dev cell0")
                && e.getMessage().contains("invalid gateway"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("state").resolve("pin-198.51.100.1" + VnicJournal.SUFFIX)));
    }
}
