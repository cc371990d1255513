package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.awaitNoSa;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * The whole product as an operator uses it: a profile file dropped into the runtime's etc/ becomes,
 * on {@code vpn:up}, an IPsec tunnel to a real strongSwan gateway (our IKE engine, data path, vnic and
 * filter wired by the Policy Manager); the LAN host behind the gateway answers through it; the status
 * shows the virtual IP and counters; the gateway lists the SA with the same SPIs; {@code vpn:down}
 * removes the TUN device and its routes and the gateway forgets the SA.
 */
@SystemTest(tag = "poltun", requires = {"java", "tun", "ping", "charon", "swanctl"})
class TunnelIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern VIP = Pattern.compile("virtual IP\\s+(198\\.18\\.0\\.\\d+)");
    private static final Pattern DEVICE = Pattern.compile("interface\\s+(\\S+)");
    /** Thread name of Felix EventAdmin's delivery pool as /proc shows it (15 characters). */
    private static final String EVENT_ADMIN_POOL = "EventAdminThrea";
    private static final Pattern TRAFFIC = Pattern.compile("traffic (in|out)\\s+(\\d+) packets");

    @Test
    void aProfileInEtcBecomesATunnelThatCarriesTrafficAndGoesAwayCompletely(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        String secret = "tunnel-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        String linksBefore = links(client);
        String routesBefore = client.execChecked("ip", "route", "show", "table", "all").stdout();

        writeProfile(runtime, secret);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));

        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\nruntime log:\n" + runtime.log());

        assertPing(client);

        // the same status through the launcher's command line, as an operator in a second terminal
        CommandResult cli = client.exec(Duration.ofSeconds(60), runtime.home().resolve("bin/mobilevpn").toString(),
                "status", "office");
        assertEquals(0, cli.exitCode(), cli.stdout() + cli.stderr());
        String status = cli.stdout();
        Matcher vip = VIP.matcher(status);
        assertTrue(vip.find(), status);
        Matcher device = DEVICE.matcher(status);
        assertTrue(device.find(), status);
        Matcher traffic = TRAFFIC.matcher(status);
        for (int i = 0; i < 2; i++) {
            assertTrue(traffic.find(), status);
            assertTrue(Long.parseLong(traffic.group(2)) >= 3, "traffic " + traffic.group(1) + ": " + status);
        }
        String tun = device.group(1);
        assertTrue(client.execChecked("ip", "-o", "addr", "show", "dev", tun).stdout().contains(vip.group(1) + "/32"));
        assertTrue(client.execChecked("ip", "route", "show", TestNetwork.LAN_NET).stdout().contains("dev " + tun),
                "the LAN is routed into the tunnel");

        IkeSa sa = single(gw.listSas());
        assertEquals("ESTABLISHED", sa.state());
        assertEquals(List.of(vip.group(1)), sa.remoteVips(), "the gateway assigned what we show");
        ChildSa child = sa.child();
        assertEquals("INSTALLED", child.state());
        assertTrue(child.encap());
        assertTrue(child.packetsIn() >= 3 && child.packetsOut() >= 3, child.toString());
        String sas = runtime.execChecked("vpn:sas office");
        // our inbound SPI is the gateway's outbound one and vice versa
        assertTrue(sas.contains(child.spiOut() + "  " + child.spiIn()), sas + "\n" + child);

        String down = runtime.execChecked("vpn:down office");
        assertTrue(down.startsWith("office: DISABLED"), down);
        assertFalse(client.exec("ip", "link", "show", "dev", tun).ok(), tun + " is gone");
        assertEquals(linksBefore, links(client), "no device left behind");
        assertEquals(routesBefore, client.execChecked("ip", "route", "show", "table", "all").stdout(),
                "every route of the tunnel removed");
        awaitNoSa(gw, Duration.ofSeconds(10));
        assertFalse(runtime.execChecked("vpn:status office").contains("interface"));

        assertFalse(runtime.log().contains(secret), "the PSK never reaches the runtime's output");
        System.out.println("vpn:status office while up:\n" + status + "vpn:sas office:\n" + sas);
    }

    @Test
    void whenTheGatewayDeletesTheSaTheConnectionComesBackByItself(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "tunnel-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        String firstSpi = single(gw.listSas()).child().spiIn();

        gw.terminateIke("rw"); // the gateway sends DELETE for the IKE SA
        String status = runtime.awaitOutput("vpn:status office", "PEER_GONE", Duration.ofSeconds(30));
        status = runtime.awaitOutput("vpn:status office", "CONNECTED (kept up)", Duration.ofSeconds(30));
        assertTrue(status.matches("(?s).*last error\\s+PEER_GONE: the gateway deleted the IKE SA.*"), status);
        assertPing(net.client());
        IkeSa again = single(gw.listSas());
        assertFalse(again.child().spiIn().equals(firstSpi), "a new Child SA, not the old one");
    }

    @Test
    void aGatewayThatDiesWithoutAWordIsNoticedWithinTwoDpdDelays(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "tunnel-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dpd_delay = 3s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));

        // SIGKILL: no DELETE, the gateway (or the NAT mapping toward it) is simply gone
        long killed = System.nanoTime();
        ProcessHandle.of(gw.pid()).ifPresent(ProcessHandle::destroyForcibly);
        String status = runtime.awaitOutput("vpn:status office", "PEER_GONE", Duration.ofSeconds(30));
        Duration noticed = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println("dead gateway noticed after " + noticed.toMillis() + " ms (dpd_delay 3 s)");
        assertTrue(status.contains("RECONNECTING"), status);
        // 2 x dpd_delay, plus 3 s for this test's status polling on a loaded machine
        assertTrue(noticed.compareTo(Duration.ofSeconds(6 + 3)) < 0, "noticed after " + noticed);
    }

    @Test
    void aConnectionTheOperatorWantsUpIsBackAfterARuntimeRestartAndOneTakenDownStaysDown(SystemTestContext ctx)
            throws IOException {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        String secret = "tunnel-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        String linksBefore = links(client);
        writeProfile(runtime, secret);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));

        assertEquals(0, runtime.stop(Duration.ofSeconds(30)), "SIGTERM stops the runtime cleanly");
        assertEquals(linksBefore, links(client), "stopping the runtime removed the TUN device");
        runtime.restart();
        runtime.awaitHealthy(START);
        String status = runtime.awaitOutput("vpn:status office", "CONNECTED (kept up)", Duration.ofSeconds(60));
        assertTrue(VIP.matcher(status).find(), status);
        assertPing(client);
        assertTrue(gw.listSas().stream().anyMatch(sa -> sa.state().equals("ESTABLISHED")), gw.listSas().toString());

        assertTrue(runtime.execChecked("vpn:down office").startsWith("office: DISABLED"));
        assertEquals(0, runtime.stop(Duration.ofSeconds(30)));
        runtime.restart();
        runtime.awaitHealthy(START);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        String list = runtime.execChecked("vpn:list");
        assertTrue(list.matches("(?s).*office\\s+DISABLED\\s+no.*"), "taken down by the operator, so not back:\n" + list);
        assertEquals(linksBefore, links(client));
    }

    @Test
    void behindANatTheNatIsDetectedAndTheTunnelCarriesTraffic(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.natNetwork();
        String secret = "tunnel-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "encap = false"); // a real NAT decides the encapsulation this time
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        assertPing(net.client());
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.matches("(?s).*NAT\\s+detected, ESP in UDP.*"), status);
        assertTrue(status.matches("(?s).*local\\s+" + Pattern.quote(TestNetwork.NATTED_CLIENT_IP) + ":4500.*"), status);
        IkeSa sa = single(gw.listSas());
        assertEquals(TestNetwork.CLIENT_IP, sa.remoteHost(), "the gateway sees the NAT's outside address");
        assertTrue(sa.natRemote(), sa.toString());
    }

    @Test
    void aChildSaRekeyReplacesTheSasWithoutLosingTraffic(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "tunnel-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "child_rekey_time = 6s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        String firstSpi = single(gw.listSas()).child().spiIn();

        // 15 s of pings across at least one rekey (6 s minus up to 10 % jitter)
        CommandResult ping = net.client().exec(Duration.ofSeconds(60), "ping", "-c", "75", "-i", "0.2", "-W", "2",
                TestNetwork.LAN_HOST_IP);
        assertTrue(ping.stdout().contains("75 received"), ping.stdout() + ping.stderr());
        IkeSa sa = single(gw.listSas());
        List<ChildSa> children = sa.childSas().stream().filter(c -> c.state().equals("INSTALLED")).toList();
        assertEquals(1, children.size(), "the old Child SA was deleted: " + sa.childSas());
        assertFalse(children.get(0).spiIn().equals(firstSpi), "rekeyed: " + sa.childSas());
        String sas = runtime.execChecked("vpn:sas office");
        assertTrue(sas.contains(children.get(0).spiOut() + "  " + children.get(0).spiIn()), sas + "\n" + children);
        assertEquals(1, sas.lines().filter(l -> l.startsWith("office ")).count(), "one Child SA on our side too:\n" + sas);
        assertTrue(runtime.execChecked("vpn:status office").contains("CONNECTED"));
    }

    @Test
    void manyUpAndDownCyclesLeaveNoThreadsFilesDevicesRoutesOrSasBehind(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        String secret = "tunnel-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        String links = links(client);
        String routes = client.execChecked("ip", "route", "show", "table", "all").stdout();
        writeProfile(runtime, secret);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            cycle(runtime); // the first cycles load classes, bind the shared sockets and start the pools
        }
        Map<String, Long> threads = threads(runtime.pid());
        int files = count(Path.of("/proc", Long.toString(runtime.pid()), "fd"));

        int cycles = 100; // issue 5: 100 connect/disconnect cycles
        for (int i = 0; i < cycles; i++) {
            cycle(runtime);
        }
        Map<String, Long> threadsAfter = threads(runtime.pid());
        int filesAfter = count(Path.of("/proc", Long.toString(runtime.pid()), "fd"));
        // Felix EventAdmin's delivery pool starts threads on demand up to org.apache.felix.eventadmin.ThreadPoolSize
        // (default 20) and keeps them: bounded, so it is checked against its cap and left out of the sums.
        assertTrue(threadsAfter.getOrDefault(EVENT_ADMIN_POOL, 0L) <= 20, "EventAdmin pool " + threadsAfter);
        long before = threads.entrySet().stream().filter(e -> !e.getKey().equals(EVENT_ADMIN_POOL))
                .mapToLong(Map.Entry::getValue).sum();
        long after = threadsAfter.entrySet().stream().filter(e -> !e.getKey().equals(EVENT_ADMIN_POOL))
                .mapToLong(Map.Entry::getValue).sum();
        System.out.println(cycles + " up/down cycles: threads " + before + " -> " + after + " " + threadsAfter
                + ", open files " + files + " -> " + filesAfter);
        // a leak of one thread or descriptor per cycle would show as +100; the JVM's own pools vary by a few
        assertTrue(after <= before + 2, "threads " + threads + " -> " + threadsAfter);
        assertTrue(filesAfter <= files + 2, "open files " + files + " -> " + filesAfter);
        assertEquals(links, links(client), "no TUN device left");
        assertEquals(routes, client.execChecked("ip", "route", "show", "table", "all").stdout(), "no route left");
        awaitNoSa(gw, Duration.ofSeconds(10));
    }

    private static void cycle(RuntimeProcess runtime) {
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up);
        String down = runtime.execChecked("vpn:down office");
        assertTrue(down.startsWith("office: DISABLED"), down);
    }

    /** Thread names (/proc/PID/task/TID/comm) and how many of each, without the JIT's compiler threads that come and go. */
    static Map<String, Long> threads(long pid) throws IOException {
        Map<String, Long> names = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // ended while we looked
                }
                if (!name.matches("C\\d CompilerThre.*")) {
                    names.merge(name, 1L, Long::sum);
                }
            }
        }
        return names;
    }

    private static int count(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return (int) entries.count();
        }
    }

    private static String links(Netns ns) {
        return ns.execChecked("ip", "-o", "link", "show").stdout().replaceAll("\\s+link/.*", "").replaceAll("qlen \\d+", "");
    }
}
