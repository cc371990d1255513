package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/**
 * The network watcher on the real kernel, in a namespace of its own with two uplinks (veth pairs with both ends in
 * the namespace) and one of our TUN devices: it publishes the first state, one state per change (a link
 * going down with its addresses and routes is one state, not three), nothing for an address that comes and goes
 * within the settle time, and never our own device.
 */
@SystemTest(tag = "netwatch", requires = {"tun"})
class NetworkWatchIT {
    /** Far above the 100 ms settle time and a loaded machine's scheduling delays; only a missing state waits this. */
    private static final long WAIT_SECONDS = 20;

    private Netns ns;
    private Process probe;
    private final BlockingQueue<String> states = new LinkedBlockingQueue<>();

    @BeforeEach
    void network(SystemTestContext ctx) {
        ns = ctx.netns("nw");
        // no IPv6: its link-local addresses finish duplicate-address detection a second or two after a link comes
        // up, and those real but unrelated changes would land among the states this test counts
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1").sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        ns.ip("link", "add", "wan0", "type", "veth", "peer", "name", "wanp");
        ns.ip("link", "add", "cell0", "type", "veth", "peer", "name", "cellp");
        // an uplink whose name merely starts with our device prefix is an uplink (the demo's is mvpn-demo-c0)
        ns.ip("link", "add", "mvpn-up0", "type", "veth", "peer", "name", "upp");
        for (String dev : List.of("wanp", "cellp", "upp", "wan0", "cell0", "mvpn-up0")) {
            ns.up(dev);
        }
        ns.address("wan0", "198.51.100.66/26").address("cell0", "100.64.0.2/24").address("mvpn-up0", "100.64.1.2/24");
        ns.ip("route", "add", "default", "via", "198.51.100.65", "dev", "wan0", "metric", "100");
        ns.ip("route", "add", "default", "via", "100.64.0.1", "dev", "cell0", "metric", "200");
        ns.ip("tuntap", "add", "mvpn0", "mode", "tun");
        ns.up("mvpn0");
        ns.address("mvpn0", "198.18.0.9/32");
        ns.ip("route", "add", "203.0.113.0/24", "dev", "mvpn0", "metric", "5");
    }

    @AfterEach
    void stop() {
        if (probe != null) {
            probe.destroyForcibly();
        }
    }

    private void startProbe() throws IOException {
        List<String> c = List.of("ip", "netns", "exec", ns.name(), Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), NetworkProbe.class.getName());
        probe = new ProcessBuilder(c).redirectErrorStream(true).start();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("STATE ")) {
                        states.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the probe is gone
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /**
     * The first published state that {@code expected} accepts; every state taken on the way must pass {@code never}.
     * States in between are the kernel's own changes (IPv6 link-local addresses leaving DAD, their routes).
     */
    private String awaitState(Predicate<String> expected, Predicate<String> never, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String last = null;
        while (System.nanoTime() < deadline) {
            String s = states.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                break;
            }
            assertFalse(never.test(s), what + ": " + s);
            if (expected.test(s)) {
                return s;
            }
            last = s;
        }
        throw new AssertionError(what + ": no such state within " + WAIT_SECONDS + " s; the last was " + last);
    }

    @Test
    void publishesSettledStatesOfTheUplinksAndNeverOurDevice() throws Exception {
        startProbe();
        Predicate<String> ours = st -> st.contains("mvpn0") || st.contains("198.18.0.9") || st.contains("203.0.113.0");
        awaitState(st -> st.contains("wan0 up 198.51.100.66/26") && st.contains("cell0 up 100.64.0.2/24")
                && st.contains("mvpn-up0 up 100.64.1.2/24") && st.contains("default via 198.51.100.65 dev wan0 metric 100")
                && st.contains("default via 100.64.0.1 dev cell0 metric 200"), ours, "both uplinks, never our device");

        ns.ip("link", "set", "wan0", "down");
        String down = awaitState(st -> st.contains("wan0 down"), st -> false, "the link down");
        assertTrue(!down.contains("via 198.51.100.65") && !down.contains("198.51.100.64/26"),
                "the link, its connected and its default route gone in one state: " + down);

        // an address that comes and goes within the settle time changes nothing: nothing is published for it
        ns.execChecked("sh", "-c", "ip addr add 100.64.0.9/24 dev cell0 && ip addr del 100.64.0.9/24 dev cell0");
        ns.ip("route", "replace", "default", "via", "100.64.0.1", "dev", "cell0", "metric", "50");
        awaitState(st -> st.contains("default via 100.64.0.1 dev cell0 metric 50"), st -> st.contains("100.64.0.9"),
                "the route's state, the flapping address leaving no trace");

        ns.ip("addr", "del", "100.64.0.2/24", "dev", "cell0");
        String removed = awaitState(st -> !st.contains("100.64.0.2"), st -> false, "the address gone");
        assertTrue(removed.contains("cell0 up;") && !removed.contains("via 100.64.0.1"),
                "the address and the route that needed it are gone: " + removed);
        assertTrue(states.poll(1, TimeUnit.SECONDS) == null, "nothing more without a change");
        probe.getOutputStream().close();
    }
}
