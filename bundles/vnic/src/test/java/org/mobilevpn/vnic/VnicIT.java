package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/**
 * A real TUN device in a test namespace, opened by {@link VnicProbe} in its own JVM there:
 * addresses, MTU, routes with metric, full tunnel keeping the gateway's host route, managed
 * resolv.conf (a temp file), packets both ways (ping answered through the TUN), nothing left
 * after close, a device kept across a vnic bundle update, and a crashed process's leftovers removed by the next
 * start.
 */
@SystemTest(tag = "dpvnic", requires = {"tun", "ping", "setpriv"})
class VnicIT {
    private static final byte[] ORIGINAL_RESOLV = "# before the tunnel\nnameserver 198.51.100.53\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private Netns ns;
    private Path state;
    private Path resolv;
    private final List<Process> probes = new ArrayList<>();
    private final java.util.Map<Process, BufferedReader> readers = new java.util.HashMap<>();

    @BeforeEach
    void namespace(SystemTestContext ctx) throws IOException {
        ns = ctx.netns("nic");
        // No dummy driver on these kernels: a veth pair with both ends in the namespace is the underlay.
        ns.ip("link", "add", "dummy0", "type", "veth", "peer", "name", "dummy1");
        ns.ip("link", "set", "dummy1", "up");
        ns.ip("addr", "add", "198.51.100.130/25", "dev", "dummy0");
        ns.ip("link", "set", "dummy0", "up");
        ns.ip("route", "add", "default", "via", "198.51.100.129");
        state = dir.resolve("state");
        resolv = dir.resolve("resolv.conf");
        Files.write(resolv, ORIGINAL_RESOLV);
    }

    @AfterEach
    void cleanup() throws IOException {
        for (Process p : probes) {
            p.destroyForcibly(); // the harness removes the namespace afterwards
        }
    }

    private Process probe(String mode, String... wrapper) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        c.addAll(List.of(wrapper));
        c.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), VnicProbe.class.getName(), mode, state.toString(),
                resolv.toString()));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        probes.add(p);
        return p;
    }

    /** The first line the probe prints that starts with one of the given words (its log lines skipped). */
    private String awaitLine(Process p, String... words) throws IOException {
        BufferedReader r = readers.computeIfAbsent(p,
                k -> new BufferedReader(new InputStreamReader(k.getInputStream(), StandardCharsets.UTF_8)));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            seen.append(line).append('\n');
            for (String w : words) {
                if (line.startsWith(w)) {
                    return line;
                }
            }
        }
        throw new IOException("probe ended without " + List.of(words) + ":\n" + seen);
    }

    @Test
    void configuresCarriesPacketsAndLeavesNothingBehind() throws Exception {
        Process p = probe("open");
        String ready = awaitLine(p, "READY", "ERROR");
        assertEquals("READY mvpn0", ready);

        String link = ns.ip("-o", "link", "show", "dev", "mvpn0").stdout();
        assertTrue(link.contains("mtu 1400") && link.contains(",UP"), link);
        String addrs = ns.ip("-o", "addr", "show", "dev", "mvpn0").stdout();
        assertTrue(addrs.contains("inet 198.18.0.7/32") && addrs.contains("inet6 2001:db8:18::7/128"), addrs);
        String routes = ns.ip("-4", "route", "show").stdout();
        assertTrue(routes.contains("203.0.113.0/24 dev mvpn0 scope link metric 5"), routes);
        assertTrue(routes.contains("0.0.0.0/1 dev mvpn0 scope link metric 5") && routes.contains("128.0.0.0/1 dev mvpn0 scope link metric 5"), routes);
        assertTrue(routes.contains("198.51.100.1 via 198.51.100.129 dev dummy0"), routes);
        String routes6 = ns.ip("-6", "route", "show").stdout();
        assertTrue(routes6.contains("::/1 dev mvpn0 metric 5") && routes6.contains("8000::/1 dev mvpn0 metric 5"), routes6);
        assertTrue(ns.ip("route", "get", "198.19.0.9").stdout().contains("dev mvpn0"), "full tunnel captures other traffic");
        assertTrue(ns.ip("route", "get", "198.51.100.1").stdout().contains("dev dummy0"), "the gateway stays outside");
        String dns = Files.readString(resolv);
        assertTrue(dns.startsWith(ResolvConfFile.MARKER) && dns.contains("nameserver 203.0.113.53\nsearch vpn.test\n"), dns);

        String ping = ns.execChecked("ping", "-c", "3", "-i", "0.2", "-W", "5", "203.0.113.7").stdout();
        assertTrue(ping.contains("3 received"), ping);

        try (Writer w = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            w.write("restart\n");
            w.flush();
            assertEquals("RESTARTED", awaitLine(p, "RESTARTED", "REFLECTOR"));
            String again = ns.execChecked("ping", "-c", "2", "-i", "0.2", "-W", "5", "203.0.113.8").stdout();
            assertTrue(again.contains("2 received"), "a new reader works after wakeup stopped the first: " + again);
            w.write("reconfigure\n");
            w.flush();
            assertEquals("RECONFIGURED", awaitLine(p, "RECONFIGURED", "REFLECTOR", "Exception"));
            String split = ns.ip("-4", "route", "show").stdout();
            assertFalse(split.contains("0.0.0.0/1") || split.contains("198.51.100.1 via"), "full tunnel undone: " + split);
            assertTrue(split.contains("198.19.0.0/24 dev mvpn0 scope link metric 5")
                    && split.contains("203.0.113.0/24 dev mvpn0 scope link metric 5"), split);
            assertTrue(Files.readString(resolv).contains("nameserver 203.0.113.53\nnameserver 203.0.113.54\n"));
            // without a full tunnel the gateway's host route is there only when asked (the profile's uplinks), and
            // a reconfigure keeps it
            w.write("routegw\n");
            w.flush();
            assertEquals("ROUTED", awaitLine(p, "ROUTED", "REFLECTOR", "Exception"));
            String pinned = ns.ip("-4", "route", "show").stdout();
            assertTrue(pinned.contains("198.51.100.1 via 198.51.100.129 dev dummy0")
                    && pinned.contains("198.19.1.0/24 dev mvpn0"), pinned);
            w.write("close\n");
        }
        assertEquals("CLOSED", awaitLine(p, "CLOSED", "REFLECTOR"));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        assertNothingLeft();
    }

    /**
     * What an update of the vnic bundle does to the device (issue 11): kept by the leaving bundle, it goes on carrying
     * packets through the handle the data path reads; a new factory (cleaning stale state at its start) takes the
     * same device over through a descriptor of its own, the reader moves to the new handle and the old one is let
     * go: the device with its configuration stays, and goes only when the new handle closes.
     */
    @Test
    void aKeptDeviceCarriesPacketsUntilTheNextBundleTakesItOver() throws Exception {
        Process p = probe("open");
        assertEquals("READY mvpn0", awaitLine(p, "READY", "ERROR"));
        String index = deviceIndex();
        try (Writer w = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            w.write("keep\n");
            w.flush();
            assertEquals("KEPT", awaitLine(p, "KEPT", "REFLECTOR", "Exception"));
            String kept = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", "203.0.113.7").stdout();
            assertTrue(kept.contains("3 received"), "the kept device still has its reader: " + kept);

            w.write("adopt\n");
            w.flush();
            assertEquals("ADOPTED", awaitLine(p, "ADOPTED", "REFLECTOR", "Exception"));
            assertEquals(index, deviceIndex(), "the same device, not one made again under its name");
            String link = ns.ip("-o", "link", "show", "dev", "mvpn0").stdout();
            assertTrue(link.contains("mtu 1400") && link.contains(",UP"), link);
            assertTrue(ns.ip("-4", "route", "show").stdout().contains("203.0.113.0/24 dev mvpn0 scope link metric 5"));
            assertFalse(Files.exists(state.resolve("mvpn0" + KeptDevices.SUFFIX)), "taken over: no longer marked");
            String adopted = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", "203.0.113.8").stdout();
            assertTrue(adopted.contains("3 received"), "the new handle reads and writes: " + adopted);
            w.write("close\n");
        }
        assertEquals("CLOSED", awaitLine(p, "CLOSED", "REFLECTOR"));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertNothingLeft();
    }

    private String deviceIndex() {
        String line = ns.ip("-o", "link", "show", "dev", "mvpn0").stdout();
        assertTrue(line.contains(": mvpn0:"), line);
        return line.substring(0, line.indexOf(':'));
    }

    @Test
    void leftoversOfAKilledProcessAreCleanedAtTheNextStart() throws Exception {
        Process p = probe("open");
        assertEquals("READY mvpn0", awaitLine(p, "READY", "ERROR"));
        p.destroyForcibly(); // SIGKILL: no close, no shutdown hook
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        assertFalse(ns.ip("-o", "link", "show").stdout().contains("mvpn0"), "the kernel drops the device with its process");
        assertTrue(ns.ip("-4", "route", "show").stdout().contains("198.51.100.1 via"), "the host route outlives the process");
        assertTrue(Files.readString(resolv).startsWith(ResolvConfFile.MARKER));

        Process cleaner = probe("clean");
        assertEquals("CLEANED", awaitLine(cleaner, "CLEANED", "ERROR"));
        assertNothingLeft();
    }

    @Test
    void withoutCapNetAdminTheErrorSaysSo() throws Exception {
        Process p = probe("open", "setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin");
        String line = awaitLine(p, "READY", "ERROR");
        assertTrue(line.startsWith("ERROR") && line.contains("CAP_NET_ADMIN"), line);
        assertArrayEquals(ORIGINAL_RESOLV, Files.readAllBytes(resolv));
        assertFalse(ns.ip("-o", "link", "show").stdout().contains("mvpn"));
    }

    private void assertNothingLeft() throws IOException {
        assertFalse(ns.ip("-o", "link", "show").stdout().contains("mvpn"), "device gone");
        String routes = ns.ip("-4", "route", "show").stdout();
        assertFalse(routes.contains("198.51.100.1 ") || routes.contains("mvpn"), routes);
        assertArrayEquals(ORIGINAL_RESOLV, Files.readAllBytes(resolv), "resolv.conf restored byte for byte");
        try (var files = Files.list(state)) {
            assertEquals(List.of(), files.toList(), "journal and backup removed");
        }
    }
}
