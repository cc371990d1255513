package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.Nftables;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TcpdumpCapture;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Issue 13's defect: a client with two uplinks to the same gateway address loses the one its tunnel uses while
 * traffic flows. The runtime must notice (rtnetlink), move the IKE SA to the other uplink with MOBIKE (RFC 4555
 * §3.5, strongSwan's {@code mobike = yes} default) and have the gateway send ESP there: the SAME IKE SA (same SPIs,
 * same unique id, no new IKE_SA_INIT) with the new address as remote, and the pings answered again after a short gap.
 *
 * <pre>
 *  client "cli"                                gateway "gw"
 *   wan0  198.51.100.2/24  ------------------  wan0  198.51.100.1/24   (wired: the connected route)
 *   cell0 100.64.0.2/24 -- "cell" in0 100.64.0.1, out0 198.19.0.2 -- cell0 198.19.0.1/24
 *         route 198.51.100.0/24 via 100.64.0.1 metric 200            route 100.64.0.0/24 via 198.19.0.2
 * </pre>
 *
 * The cellular path is routed (no NAT), so the move is the address change alone.
 */
@SystemTest(tag = "uplink", requires = {"java", "tun", "ping", "charon", "swanctl", "nft", "tcpdump"})
class UplinkLossIT {
    static final String CELL_CLIENT_IP = "100.64.0.2";
    private static final String CELL_CLIENT_IP6 = "2001:db8:64::2";
    /** The cellular router's (or carrier-grade NAT's) address toward the gateway. */
    static final String CGNAT_OUTSIDE_IP = "198.19.0.2";
    /** {@code ping -D}: {@code [1764153600.123456] 64 bytes from ... icmp_seq=12 ...}. */
    private static final Pattern REPLY = Pattern.compile("\\[(\\d+)\\.(\\d{6})\\] \\d+ bytes from .*icmp_seq=(\\d+)");
    /**
     * 20 pings a second for 10 s; the wired link goes down after 2 s, which leaves 8 s to see the traffic resume
     * (bounds: 3 s for a move, 6 s for a new IKE SA).
     */
    private static final int PINGS = 200;
    private static final String SECRET = "uplink-it-secret";

    @Test
    void whenTheWiredAddressIsRemovedTheSameIkeSaCarriesTheTrafficOverTheCellularUplink(SystemTestContext ctx)
            throws Exception {
        Result r = loseWiredUplinkUnderPing(ctx, SwanctlConf.gatewayPsk(SECRET), Cellular.ROUTED,
                "ip address del " + TestNetwork.CLIENT_IP + "/24 dev wan0");
        assertSameIkeSaMoved(r);
    }

    /**
     * The cellular uplink is behind a carrier-grade NAT: the fresh NAT detection of the address update shows it
     * (RFC 4555 §3.5), and the gateway sends ESP in UDP to the NAT's address and port.
     */
    @Test
    void behindACarrierGradeNatOnTheCellularUplinkTheGatewayFollowsToTheNatsAddress(SystemTestContext ctx)
            throws Exception {
        Result r = loseWiredUplinkUnderPing(ctx, SwanctlConf.gatewayPsk(SECRET), Cellular.CGNAT, "ip link set wan0 down");
        assertEquals(CGNAT_OUTSIDE_IP, r.after.remoteHost(), "the NAT's outside address" + r.context);
        assertSameIkeSa(r);
    }

    /**
     * The cellular uplink has IPv6 only: the IKE SA moves to the gateway's IPv6 address, which the gateway announced
     * in IKE_AUTH (ADDITIONAL_IP6_ADDRESS, RFC 4555 §3.4), and the IPv4 traffic inside goes on.
     */
    @Test
    void anIpv6OnlyCellularUplinkTakesOverAtTheGatewaysIpv6Address(SystemTestContext ctx) throws Exception {
        Result r = loseWiredUplinkUnderPing(ctx, SwanctlConf.gatewayPsk(SECRET).configure("rw", c -> c.localAddrs("%any")),
                Cellular.IPV6_ONLY, "ip link set wan0 down");
        assertEquals(CELL_CLIENT_IP6, r.after.remoteHost(), r.context);
        assertEquals(TestNetwork.GATEWAY_IP6, r.after.localHost(), r.context);
        assertSameIkeSa(r);
        assertTrue(r.status.matches("(?s).*local\\s+\\[2001:db8:64:0:0:0:0:2\\]:.*"), "the new local address: " + r.status);
    }

    /**
     * A gateway with {@code mobike = no} does not agree to MOBIKE in IKE_AUTH: the runtime makes a new IKE SA over the
     * cellular uplink at once (no backoff), and the traffic resumes; the gateway ends with one IKE SA, on the new path.
     */
    @Test
    void withoutMobikeAtTheGatewayANewIkeSaIsMadeOverTheCellularUplink(SystemTestContext ctx) throws Exception {
        Result r = loseWiredUplinkUnderPing(ctx, SwanctlConf.gatewayPsk(SECRET).configure("rw", c -> c.mobike(false)),
                Cellular.ROUTED, "ip link set wan0 down");
        IkeSa after = OfficeConnection.single(r.gateway.listSas());
        assertEquals(CELL_CLIENT_IP, after.remoteHost(), r.context);
        assertTrue(!after.initiatorSpi().equals(r.before.initiatorSpi()), "a new IKE SA" + r.context);
        // a new handshake (two round trips, fresh keys) on two busy shared cores: 6 s (issue 13 asks for 3 s)
        assertTrue(r.gapMillis < 6000, "traffic resumed only after " + r.gapMillis + " ms" + r.context);
        OfficeConnection.assertPing(r.client, 5, r.context);
    }

    /**
     * The wired link goes down: the same IKE SA carries the traffic over the cellular uplink. Then it comes back: the
     * kernel routes to the gateway over it again (its connected route beats the cellular one), so the same IKE SA
     * moves back to the wired address (RFC 4555 §3.5 in the other direction) and the pings go on; two moves counted,
     * still one IKE SA.
     */
    @Test
    void whenTheWiredLinkGoesDownAndComesBackTheSameIkeSaMovesToCellularAndBack(SystemTestContext ctx)
            throws Exception {
        Result r = loseWiredUplinkUnderPing(ctx, SwanctlConf.gatewayPsk(SECRET), Cellular.ROUTED, "ip link set wan0 down");
        assertSameIkeSaMoved(r);

        PingRun back = pingWhile(r.client, () -> r.client.execChecked("ip", "link", "set", "wan0", "up"));
        IkeSa after = awaitRemote(r.gateway, TestNetwork.CLIENT_IP);
        String status = r.runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        String context = "\n" + back.output + "\nafter the link came back: " + after + "\n" + status;
        System.out.println("ip link set wan0 up: " + back.answered + " pings answered, longest gap "
                + back.gapMillis + " ms");
        assertEquals(r.before.uniqueId(), after.uniqueId(), "the same IKE SA, no new handshake" + context);
        assertEquals(r.before.initiatorSpi(), after.initiatorSpi(), context);
        assertEquals(r.before.responderSpi(), after.responderSpi(), context);
        assertTrue(status.matches("(?s).*local\\s+" + Pattern.quote(TestNetwork.CLIENT_IP) + ":.*"),
                "back on the wired address: " + status);
        assertTrue(status.matches("(?s).*moves\\s+2 .*"), "two moves counted: " + status);
        // the move back is not forced by a loss (both paths work meanwhile): same bound as the loss
        assertTrue(back.gapMillis < 3000, "traffic interrupted for " + back.gapMillis + " ms" + context);
        OfficeConnection.assertPing(r.client, 5, context);
    }

    /**
     * The gateway is reached through the default route (no connected route to it), and the operator points the
     * default route at the cellular uplink ({@code ip route replace}): nothing goes down, only the kernel's route to
     * the gateway changes, which rtnetlink reports; the same IKE SA moves.
     */
    @Test
    void whenTheDefaultRouteIsReplacedTheSameIkeSaMovesToTheNewUplink(SystemTestContext ctx) throws Exception {
        Result r = loseWiredUplinkUnderPing(ctx, SwanctlConf.gatewayPsk(SECRET), Cellular.ROUTED, List.of(
                "ip route del " + TestNetwork.WAN_NET + " via 100.64.0.1",
                "ip route del " + TestNetwork.WAN_NET + " dev wan0",
                "ip route replace default via " + TestNetwork.GATEWAY_IP + " dev wan0 onlink"), List.of(),
                "ip route replace default via 100.64.0.1 dev cell0");
        assertSameIkeSaMoved(r);
    }

    /**
     * Twenty moves back and forth under traffic (the wired link down, up, down ...), each one waited for at the
     * gateway: one IKE SA at the end, and the runtime holds what it held before (file descriptors, so no socket left
     * per address it used; routes, rules and TUN devices in its namespace). The baseline is taken after a first
     * round trip, so classes and buffers loaded for the first move are not counted as a leak.
     */
    @Test
    void twentyMovesBackAndForthUnderTrafficLeaveOneIkeSaAndNothingBehind(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        addCellularPath(ctx, net, Cellular.ROUTED);
        // a link going down takes its default route and IPv6 addresses with it, and up brings neither back: without
        // them, the namespace's routes are the same whenever the wired link is up, whatever the runtime did
        client.execChecked("ip", "route", "del", "default");
        client.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.wan0.disable_ipv6=1");
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(SECRET).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        OfficeConnection.writeProfile(runtime, SECRET, "dpd_delay = 5s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        IkeSa first = OfficeConnection.single(gw.listSas());
        moveAndBack(client, gw);
        Footprint before = Footprint.of(runtime.pid(), client);
        Map<String, Integer> fdsBefore = openFiles(runtime.pid());

        int moves = 20;
        PingRun run = pingWhile(client, () -> {
            for (int i = 0; i < moves / 2; i++) {
                moveAndBack(client, gw);
            }
        });
        IkeSa last = awaitRemote(gw, TestNetwork.CLIENT_IP);
        String status = runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        Footprint after = Footprint.of(runtime.pid(), client);
        Map<String, Integer> fdsAfter = openFiles(runtime.pid());
        for (int i = 0; i < 25 && !fdsAfter.equals(fdsBefore); i++) { // a Gogo command or event still finishing
            Thread.sleep(200);
            fdsAfter = openFiles(runtime.pid());
        }
        String context = "\nopen files before " + fdsBefore + "\nafter " + fdsAfter + "\n" + Footprint.header() + "\n" + before.row("before") + "\n" + after.row("after") + "\n"
                + status + "\ngateway: " + last;
        System.out.println(moves + " moves: " + run.answered + " pings answered, longest gap " + run.gapMillis + " ms"
                + context);
        assertEquals(first.uniqueId(), last.uniqueId(), "one IKE SA throughout" + context);
        assertEquals(1, gw.listSas().size(), context);
        assertTrue(status.matches("(?s).*moves\\s+" + (moves + 2) + " .*"), "every move counted: " + status);
        assertEquals(fdsBefore, fdsAfter, "the runtime's open files and sockets" + context);
        assertEquals(before.routes(), after.routes(), "routes" + context);
        assertEquals(before.rules(), after.rules(), "policy rules" + context);
        assertEquals(before.tunDevices(), after.tunDevices(), "TUN devices" + context);
        OfficeConnection.assertPing(client, 5, context);
    }

    /** What the process's file descriptors point at, numbers as '#' ({@code socket:[#]}, a jar's path ...), counted. */
    private static Map<String, Integer> openFiles(long pid) throws IOException {
        Map<String, Integer> kinds = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    kinds.merge(Files.readSymbolicLink(fd).toString().replaceAll("\\d+", "#"), 1, Integer::sum);
                } catch (NoSuchFileException e) {
                    // closed while listed
                }
            }
        }
        return kinds;
    }

    /**
     * With {@code kill_switch = true}, the move to an IPv6-only cellular uplink: the IKE SA follows to the gateway's
     * IPv6 address, which the gateway announced in IKE_AUTH (RFC 4555 §3.4), so the kill switch's exceptions must
     * let IKE and ESP to that address out as well; and from the loss to the end of the pings nothing but IKE and ESP
     * in UDP to the gateway (and IPv6 neighbour discovery) leaves either uplink: no clear traffic while it moves.
     */
    @Test
    void withTheKillSwitchOnlyIkeAndEspLeaveEitherUplinkWhileTheIkeSaMoves(SystemTestContext ctx) throws Exception {
        Result r = loseWiredUplinkUnderPing(ctx, SwanctlConf.gatewayPsk(SECRET).configure("rw", c -> c.localAddrs("%any")),
                Cellular.IPV6_ONLY, List.of(), List.of("kill_switch = true"), "ip link set wan0 down");
        String rules = r.client.execChecked("nft", "list", "table", "inet", "mobilevpn").stdout();
        for (Map.Entry<String, Path> e : r.captures.entrySet()) {
            String mac = r.client.execChecked("cat", "/sys/class/net/" + e.getKey() + "/address").stdout().strip();
            String leaks = r.client.execChecked("tcpdump", "-r", e.getValue().toString(), "-n", "ether src " + mac
                    + " and not arp and not (udp and (port 500 or port 4500) and (dst host " + TestNetwork.GATEWAY_IP
                    + " or dst host " + TestNetwork.GATEWAY_IP6 + ")) and not (icmp6 and ip6[40] >= 133 and ip6[40] <= 136)")
                    .stdout();
            assertEquals("", leaks.strip(), "sent in the clear from " + e.getKey() + " while moving" + r.context);
        }
        assertTrue(rules.contains(TestNetwork.GATEWAY_IP6), "the gateway's IPv6 address in the exceptions: " + rules);
        assertEquals(CELL_CLIENT_IP6, r.after.remoteHost(), r.context);
        assertSameIkeSa(r);
        assertTrue(r.status.matches("(?s).*kill switch\\s+engaged.*"), r.status);
    }

    /** The wired link down (the gateway follows to the cellular address), then up (back to the wired one). */
    private static void moveAndBack(Netns client, StrongSwanGateway gw) {
        try {
            client.execChecked("ip", "link", "set", "wan0", "down");
            awaitRemote(gw, CELL_CLIENT_IP);
            client.execChecked("ip", "link", "set", "wan0", "up");
            awaitRemote(gw, TestNetwork.CLIENT_IP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The gateway's only IKE SA once it sends to {@code remoteHost} (at most 20 s: a move under load). */
    static IkeSa awaitRemote(StrongSwanGateway gw, String remoteHost) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<IkeSa> sas = gw.listSas();
        while (!(sas.size() == 1 && sas.get(0).remoteHost().equals(remoteHost)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            sas = gw.listSas();
        }
        assertTrue(sas.size() == 1 && sas.get(0).remoteHost().equals(remoteHost),
                "the gateway did not follow to " + remoteHost + ": " + sas);
        return sas.get(0);
    }

    /** Pings that ran while an action ran (from 1 s before it to its end plus 3 s). */
    private record PingRun(int answered, long gapMillis, String output) {
    }

    /**
     * Pings the LAN host 20 times a second from 1 s before {@code action} until 3 s after it, and measures the
     * longest time without an answer from the start of the action.
     */
    private static PingRun pingWhile(Netns client, Runnable action) throws Exception {
        NsProcess ping = client.start("ping-" + System.nanoTime(), "ping", "-D", "-n", "-i", "0.05", "-W", "1",
                TestNetwork.LAN_HOST_IP);
        Thread.sleep(1000);
        long startMillis = System.currentTimeMillis();
        try {
            action.run();
            Thread.sleep(3000);
        } finally {
            ping.stop("INT", NsProcess.DEFAULT_GRACE);
        }
        String output = ping.stdout();
        List<long[]> replies = replies(output);
        return new PingRun(replies.size(), longestGapAfter(replies, startMillis), output);
    }

    private static void assertSameIkeSaMoved(Result r) {
        assertEquals(CELL_CLIENT_IP, r.after.remoteHost(), "the gateway sends to the cellular address" + r.context);
        assertSameIkeSa(r);
        assertTrue(r.status.matches("(?s).*local\\s+" + Pattern.quote(CELL_CLIENT_IP) + ":.*"),
                "the new local address: " + r.status);
    }

    private static void assertSameIkeSa(Result r) {
        assertEquals(r.before.uniqueId(), r.after.uniqueId(), "the same IKE SA, no new handshake" + r.context);
        assertEquals(r.before.initiatorSpi(), r.after.initiatorSpi(), r.context);
        assertEquals(r.before.responderSpi(), r.after.responderSpi(), r.context);
        // 20 pings a second: the move takes the 100 ms settle plus one round trip; 3 s leaves room for two busy
        // cores shared with other builds (issue 13 asks for 2 s, measured and printed)
        assertTrue(r.gapMillis < 3000, "traffic resumed only after " + r.gapMillis + " ms" + r.context);
        assertTrue(r.answered >= PINGS - 60, r.answered + " answered, at most 3 s of them lost" + r.context);
        assertTrue(r.status.contains("CONNECTED"), r.status);
        assertTrue(r.status.matches("(?s).*moves\\s+1 .*"), "one move counted: " + r.status);
        OfficeConnection.assertPing(r.client, 5, r.context);
    }

    /** What a loss of the wired uplink under traffic left behind. */
    private record Result(Netns client, StrongSwanGateway gateway, RuntimeProcess runtime, IkeSa before, IkeSa after,
            int answered,
            long gapMillis, String status, String context, Map<String, Path> captures) {
    }

    /**
     * Connects over the wired uplink, pings the LAN host 20 times a second, runs {@code breakWired} in the client
     * namespace after 2 s, and collects what followed.
     */
    private static Result loseWiredUplinkUnderPing(SystemTestContext ctx, SwanctlConf.Builder gatewayConf,
            Cellular cellular, String breakWired) throws Exception {
        return loseWiredUplinkUnderPing(ctx, gatewayConf, cellular, List.of(), List.of(), breakWired);
    }

    /**
     * As above, with {@code prepare} run in the client namespace once both uplinks exist, before the runtime starts,
     * and {@code profile} lines added to the profile. Both uplinks are captured from just before the pings start
     * to their end ({@link Result#captures}).
     */
    private static Result loseWiredUplinkUnderPing(SystemTestContext ctx, SwanctlConf.Builder gatewayConf,
            Cellular cellular, List<String> prepare, List<String> profile, String breakWired) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        addCellularPath(ctx, net, cellular);
        for (String command : prepare) {
            client.execChecked(command.split(" "));
        }
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), gatewayConf.build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        List<String> lines = new ArrayList<>(List.of("dpd_delay = 5s"));
        lines.addAll(profile);
        OfficeConnection.writeProfile(runtime, SECRET, lines.toArray(String[]::new));
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        IkeSa before = OfficeConnection.single(gw.listSas());
        assertEquals(TestNetwork.CLIENT_IP, before.remoteHost(), "the wired path first: " + before);
        OfficeConnection.assertPing(client);

        Map<String, TcpdumpCapture> captures = new TreeMap<>();
        for (String uplink : List.of("wan0", "cell0")) {
            captures.put(uplink, ctx.register(TcpdumpCapture.start(client, uplink, "move-" + uplink)));
        }
        CompletableFuture<CommandResult> pinging = CompletableFuture.supplyAsync(() -> client.exec(Duration.ofSeconds(60),
                "ping", "-D", "-n", "-i", "0.05", "-c", Integer.toString(PINGS), "-W", "1", TestNetwork.LAN_HOST_IP));
        Thread.sleep(2000);
        long brokenAtMillis = System.currentTimeMillis();
        client.execChecked(breakWired.split(" "));
        CommandResult ping = pinging.get();
        Map<String, Path> pcaps = new TreeMap<>();
        captures.forEach((uplink, capture) -> pcaps.put(uplink, capture.stop()));

        List<long[]> replies = replies(ping.stdout());
        long gapMillis = longestGapAfter(replies, brokenAtMillis);
        runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        IkeSa after = awaitSingleSa(gw);
        String status = runtime.execChecked("vpn:status office");
        System.out.println(breakWired + ": " + replies.size() + " of " + PINGS + " pings answered, longest gap "
                + gapMillis + " ms; the gateway now sees " + after.remoteHost() + ":" + after.remotePort());
        String context = "\n" + ping.stdout() + "\ngateway before: " + before + "\nafter: " + after + "\n" + status;
        return new Result(client, gw, runtime, before, after, replies.size(), gapMillis, status, context, pcaps);
    }

    /** The gateway's only IKE SA, once the old one of a reconnect is gone (at most 20 s). */
    private static IkeSa awaitSingleSa(StrongSwanGateway gw) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<IkeSa> sas = gw.listSas();
        while (sas.size() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            sas = gw.listSas();
        }
        return OfficeConnection.single(sas);
    }

    /** The second uplink's kind. */
    enum Cellular { ROUTED, CGNAT, IPV6_ONLY }

    /** The second uplink: client cell0 through a namespace "cell" (a router, or a NAT) to the gateway's cell0. */
    static Netns addCellularPath(SystemTestContext ctx, TestNetwork net, Cellular kind) {
        Netns cell = ctx.netns("cell");
        Netns client = net.client();
        Netns gw = net.gateway();
        client.veth("cell0", cell, "in0");
        cell.veth("out0", gw, "cell0");
        cell.forwarding(true);
        if (kind == Cellular.IPV6_ONLY) {
            client.address("cell0", CELL_CLIENT_IP6 + "/64");
            cell.address("in0", "2001:db8:64::1/64").address("out0", "2001:db8:65::2/64").route("default", "2001:db8:65::1");
            gw.address("cell0", "2001:db8:65::1/64").route("2001:db8:64::/64", "2001:db8:65::2");
            // the wired link's connected route has metric 256: this one only when it is gone
            client.ip("-6", "route", "add", "2001:db8:100::/64", "via", "2001:db8:64::1", "metric", "1024");
            return cell;
        }
        client.address("cell0", CELL_CLIENT_IP + "/24");
        cell.address("in0", "100.64.0.1/24");
        cell.address("out0", CGNAT_OUTSIDE_IP + "/24").route("default", "198.19.0.1");
        gw.address("cell0", "198.19.0.1/24");
        if (kind == Cellular.CGNAT) {
            Nftables.apply(cell, """
                    table ip mvpn_cgnat {
                      chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        oifname "out0" masquerade
                      }
                    }
                    """);
        } else {
            gw.route("100.64.0.0/24", CGNAT_OUTSIDE_IP);
        }
        // as specific as the wired link's connected route (metric 0), so that one wins while it is there
        client.ip("route", "add", TestNetwork.WAN_NET, "via", "100.64.0.1", "metric", "200");
        return cell;
    }

    /** {reply time in ms, icmp_seq} of every answer. */
    private static List<long[]> replies(String pingOutput) {
        List<long[]> out = new ArrayList<>();
        Matcher m = REPLY.matcher(pingOutput);
        while (m.find()) {
            out.add(new long[] {Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)) / 1000,
                    Long.parseLong(m.group(3))});
        }
        return out;
    }

    /** The longest time without an answer from {@code fromMillis} on (to the first answer after it, and between). */
    private static long longestGapAfter(List<long[]> replies, long fromMillis) {
        long last = fromMillis;
        long gap = 0;
        boolean any = false;
        for (long[] r : replies) {
            if (r[0] < fromMillis) {
                continue;
            }
            gap = Math.max(gap, r[0] - last);
            last = r[0];
            any = true;
        }
        return any ? gap : Long.MAX_VALUE;
    }
}
