package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.testsupport.TestLogger;

class StaleStateCleanerTest {
    @TempDir
    Path dir;

    /** Records commands; answers {@code ip -o link show} with a fixed list. */
    static final class RecordingRunner implements CommandRunner {
        final List<List<String>> commands = new ArrayList<>();
        String links = "";

        @Override
        public Result run(List<String> command) {
            commands.add(command);
            return new Result(0, command.contains("link") && command.contains("show") ? links : "");
        }
    }

    @Test
    void devicesWithOurPrefixAndANumberOnly() {
        String links = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\\    link/loopback\n"
                + "5: mvpn0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1400 qdisc fq_codel\\    link/none\n"
                + "6: mvpnx: <POINTOPOINT> mtu 1500\n"
                + "7: veth-mvpn@if8: <BROADCAST> mtu 1500\n"
                + "9: mvpn12: <POINTOPOINT> mtu 1500\n";
        assertEquals(List.of("mvpn0", "mvpn12"), StaleStateCleaner.devicesWithPrefix(links, "mvpn"));
    }

    @Test
    void journaledChangesAreUndoneAndStaleDevicesDeleted() throws Exception {
        Path state = dir.resolve("state");
        Path resolvConf = dir.resolve("resolv.conf");
        byte[] original = "nameserver 198.51.100.53\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(resolvConf, original);

        // What a run that then crashed wrote:
        VnicJournal journal = new VnicJournal(state, "mvpn3");
        journal.add(new VnicJournal.Entry("route4", List.of("198.51.100.1/32", "via", "198.51.100.254", "dev", "veth0")));
        journal.add(new VnicJournal.Entry("resolv", List.of(resolvConf.toString())));
        new ResolvConfFile(resolvConf, VnicJournal.resolvBackup(state, "mvpn3"))
                .apply(ResolvConfFile.render("mvpn3", List.of(InetAddress.getByName("203.0.113.53")), List.of()));

        RecordingRunner runner = new RecordingRunner();
        runner.links = "4: mvpn3: <POINTOPOINT> mtu 1400\n";
        List<String> done = new StaleStateCleaner(new VnicSettings(Path.of("/dev/net/tun"), "ip", resolvConf, state, "mvpn"),
                runner, new TestLogger()).clean();

        assertEquals(List.of(
                List.of("ip", "-4", "route", "del", "198.51.100.1/32", "via", "198.51.100.254", "dev", "veth0"),
                List.of("ip", "-o", "link", "show"),
                List.of("ip", "link", "del", "dev", "mvpn3")), runner.commands);
        assertArrayEquals(original, Files.readAllBytes(resolvConf));
        assertFalse(Files.exists(journal.file()));
        assertEquals(3, done.size(), done.toString());
    }

    @Test
    void aDeviceThisProcessKeptForTheNextVnicBundleIsNotStaleOneKeptByAnotherProcessIs() throws Exception {
        Path state = dir.resolve("state");
        VnicJournal kept = new VnicJournal(state, "mvpn0");
        kept.add(new VnicJournal.Entry("route4", List.of("198.51.100.1/32", "dev", "veth0")));
        new KeptDevices(state).mark("mvpn0", 17); // the previous vnic bundle of this process
        new KeptDevices(state, new RuntimeProcessId(ProcessHandle.current().pid(), "2026-12-07T10:00:00Z")).mark("mvpn1", 17); // a run that crashed (same PID: a container)

        RecordingRunner runner = new RecordingRunner();
        runner.links = "4: mvpn0: <POINTOPOINT> mtu 1400\n5: mvpn1: <POINTOPOINT> mtu 1400\n";
        new StaleStateCleaner(new VnicSettings(Path.of("/dev/net/tun"), "ip", dir.resolve("resolv.conf"), state, "mvpn"),
                runner, new TestLogger()).clean();

        assertEquals(List.of(List.of("ip", "-o", "link", "show"), List.of("ip", "link", "del", "dev", "mvpn1")),
                runner.commands, "mvpn0 with its host route stays for the next bundle");
        assertTrue(Files.exists(kept.file()));
        assertEquals(17, new KeptDevices(state).keptDescriptor("mvpn0"), "still open as descriptor 17 for the next bundle");
        assertEquals(KeptDevices.NONE, new KeptDevices(state).keptDescriptor("mvpn1"));
        assertFalse(Files.exists(state.resolve("mvpn1" + KeptDevices.SUFFIX)), "a stale mark goes with its device");
    }
}
