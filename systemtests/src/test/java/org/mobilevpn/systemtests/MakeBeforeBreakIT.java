package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TcpdumpCapture;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Make-before-break (issue 13): a new IKE SA is made while the old one's tunnel still carries the traffic, and the
 * old one is deleted only after the new Child SA took over the same device (RFC 7296 §2.8.3). Two causes, each
 * through the runtime process against strongSwan: the uplink in use is lost and the gateway does not do MOBIKE
 * ({@code mobike = no}), and reauthentication ({@code reauth_time}).
 *
 * <p>The proof that nothing was broken before the new SA was made: the TUN device keeps its kernel index (a
 * break-before-make closes it and opens a new one), no tunnelled packet leaves in the clear on the remaining
 * uplink (the client has a backup default route over it, so a tunnel without routes would leak there), and
 * the pings go on.
 *
 * <pre>
 *  client "cli"                                gateway "gw"
 *   wan0  198.51.100.2/24  ------------------  wan0  198.51.100.1/24   (wired: the connected route, default route)
 *   cell0 100.64.0.2/24 -- "cell" in0 100.64.0.1, out0 198.19.0.2 -- cell0 198.19.0.1/24
 *         route 198.51.100.0/24 via 100.64.0.1 metric 200            route 100.64.0.0/24 via 198.19.0.2
 *         default via 100.64.0.1 metric 300
 * </pre>
 */
@SystemTest(tag = "mbb", requires = {"java", "tun", "ping", "tcpdump", "nft", "charon", "swanctl"})
class MakeBeforeBreakIT {
    private static final String CELL_CLIENT_IP = "100.64.0.2";
    /** The carrier-grade NAT's address toward the gateway ({@link UplinkLossIT#addCellularPath}). */
    private static final String CGNAT_OUTSIDE_IP = "198.19.0.2";
    private static final String SECRET = "mbb-it-secret";
    private static final Pattern HANDSHAKES = Pattern.compile("handshakes\\s+(\\d+)");
    private static final Pattern IFINDEX = Pattern.compile("^(\\d+): mvpn0");

    @Test
    void withoutMobikeTheNewIkeSaOverTheCellularUplinkIsUpBeforeTheOldOneGoes(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        UplinkLossIT.addCellularPath(ctx, net, UplinkLossIT.Cellular.ROUTED);
        // a backup default route over it: a tunnel route missing during the switch would let pings out in clear
        net.client().ip("route", "add", "default", "via", "100.64.0.1", "metric", "300");
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayPsk(SECRET).configure("rw", c -> c.mobike(false)).build()));
        RuntimeProcess runtime = startRuntime(ctx, client, "dpd_delay = 5s");
        IkeSa before = OfficeConnection.single(gw.listSas());
        assertEquals(TestNetwork.CLIENT_IP, before.remoteHost(), "the wired path first: " + before);
        int device = ifindex(client);

        MoveUnderPing m = loseWiredUnderPing(ctx, client, () -> Thread.sleep(8000));
        SteadyPing.Result r = m.pings();

        String status = runtime.execChecked("vpn:status office");
        IkeSa after = StrongSwanGatewayWait.single(gw, Duration.ofSeconds(20));
        String context = "\n" + r + "\ngateway before: " + before + "\nafter: " + after + "\n" + status;
        System.out.println("wired link down, gateway mobike = no: " + r);
        assertEquals("", m.clear(), "tunnelled packets that left in the clear on the cellular uplink" + context);
        assertEquals(device, ifindex(client), "the same TUN device: the tunnel was never taken down" + context);
        assertEquals(CELL_CLIENT_IP, after.remoteHost(), context);
        assertNotEquals(before.initiatorSpi(), after.initiatorSpi(), "a new IKE SA" + context);
        assertEquals(2, handshakes(status), "two IKE SAs made" + context);
        assertTrue(status.contains("CONNECTED"), status);
        // the issue asks for 3 s; a new handshake is two round trips plus key exchange work, and on two shared
        // cores busy with other builds the move itself starts after the rtnetlink debounce: 3 s is the bound
        assertTrue(r.longestGap().toMillis() < 3000, "traffic resumed only after " + r.longestGap().toMillis() + " ms"
                + context);
        OfficeConnection.assertPing(client, 5, context);
    }

    /**
     * The same in a full tunnel ({@code remote_ts = 0.0.0.0/0}): the tunnel's routes would capture the new IKE SA's
     * handshake and ESP but for the gateway's host route, which went with the wired link and must follow to the
     * cellular uplink before the new IKE SA is made; the backup default route over that uplink must carry nothing of
     * the tunnel's traffic in the clear meanwhile.
     */
    @Test
    void inAFullTunnelTheNewIkeSaGoesOutOfTheCellularUplinkAndNothingLeaks(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        UplinkLossIT.addCellularPath(ctx, net, UplinkLossIT.Cellular.ROUTED);
        // the gateway only through the backup default route once the wired link is gone (as in FullTunnelMoveIT):
        // the tunnel's /1 routes are more specific than it, so only the gateway's host route lets IKE and ESP out
        client.ip("route", "del", TestNetwork.WAN_NET, "via", "100.64.0.1");
        client.ip("route", "add", "default", "via", "100.64.0.1", "metric", "300");
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayPsk(SECRET).configure("rw", c -> c.mobike(false).localTs("0.0.0.0/0")).build()));
        RuntimeProcess runtime = startRuntime(ctx, client, "dpd_delay = 5s", "remote_ts = 0.0.0.0/0");
        assertTrue(client.ip("route", "get", "203.0.113.7").stdout().contains(" dev mvpn"), "a full tunnel");
        int device = ifindex(client);

        MoveUnderPing m = loseWiredUnderPing(ctx, client, () -> {
            UplinkLossIT.awaitRemote(gw, CELL_CLIENT_IP);
            Thread.sleep(3000);
        });
        SteadyPing.Result r = m.pings();

        String status = runtime.execChecked("vpn:status office");
        IkeSa after = OfficeConnection.single(gw.listSas());
        String route = client.ip("-o", "route", "get", TestNetwork.GATEWAY_IP).stdout().strip();
        String context = "\n" + r + "\nafter: " + after + "\nroute to the gateway: " + route + "\n" + status;
        System.out.println("full tunnel, wired link down, gateway mobike = no: " + r);
        assertEquals("", m.clear(), "tunnelled packets that left in the clear on the cellular uplink" + context);
        assertTrue(route.contains(" dev cell0 "), "the gateway's route followed to the cellular uplink" + context);
        assertEquals(device, ifindex(client), "the same TUN device" + context);
        assertEquals(2, handshakes(status), "a new IKE SA" + context);
        assertTrue(status.contains("CONNECTED"), status);
        // as above: a new handshake on two shared busy cores
        assertTrue(r.longestGap().toMillis() < 3000, "traffic resumed only after " + r.longestGap().toMillis() + " ms"
                + context);
        OfficeConnection.assertPing(client, 5, context);
    }

    /**
     * The same without MOBIKE, the cellular uplink behind a carrier-grade NAT: the new IKE SA finds the NAT (RFC 7296
     * §2.23), so the tunnel it takes over, opened over the wired uplink without a NAT and so without keepalives, sends
     * NAT keepalives (RFC 3948 §2.3) out of the new uplink while it is idle: otherwise the NAT's mapping expires and
     * the gateway's ESP no longer reaches us.
     */
    @Test
    void withoutMobikeANewIkeSaBehindANatSendsNatKeepalives(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        UplinkLossIT.addCellularPath(ctx, net, UplinkLossIT.Cellular.CGNAT);
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayPsk(SECRET).configure("rw", c -> c.mobike(false)).build()));
        // liveness checks rarely (they would count as traffic), keepalives each second when idle
        RuntimeProcess runtime = startRuntime(ctx, client, "dpd_delay = 60s", "keepalive = 1s");
        client.execChecked("ip", "link", "set", "wan0", "down");
        IkeSa after = UplinkLossIT.awaitRemote(gw, CGNAT_OUTSIDE_IP);
        String status = runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        OfficeConnection.assertPing(client, 5, "\n" + after + "\n" + status);

        // a keepalive: UDP to port 4500 with the single byte 0xff (length 8 + 1)
        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(client, "cell0", "cell-keepalives", "udp", "dst",
                "port", "4500", "and", "udp[4:2]", "=", "9", "and", "udp[8]", "=", "0xff"));
        Thread.sleep(5000); // idle: four keepalives or more at one a second
        Path pcap = capture.stop();
        String seen = client.execChecked("tcpdump", "-r", pcap.toString(), "-n").stdout();
        System.out.println("keepalives on cell0 after the make-before-break behind the NAT:\n" + seen);
        long keepalives = seen.lines().filter(l -> l.contains(CELL_CLIENT_IP + ".4500 >")).count();
        assertTrue(keepalives >= 3, "NAT keepalives from " + CELL_CLIENT_IP + " in 5 idle seconds: " + keepalives + "\n"
                + seen + "\n" + runtime.execChecked("vpn:status office"));
    }

    @Test
    void reauthenticationMakesTheNewIkeSaBeforeDeletingTheOldOneWhileTrafficFlows(SystemTestContext ctx)
            throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(SECRET).build()));
        RuntimeProcess runtime = startRuntime(ctx, client, "reauth_time = 6s", "kill_switch = true");
        IkeSa first = OfficeConnection.single(gw.listSas());
        int device = ifindex(client);

        SteadyPing ping = ctx.register(SteadyPing.start(client, TestNetwork.LAN_HOST_IP, Duration.ofMillis(50)));
        Thread.sleep(16_000); // two reauthentications at least (6 s each, plus the handshakes on busy cores)
        SteadyPing.Result r = ping.stop();

        String status = runtime.execChecked("vpn:status office");
        IkeSa last = StrongSwanGatewayWait.single(gw, Duration.ofSeconds(20));
        String context = "\n" + r + "\nfirst: " + first + "\nlast: " + last + "\n" + status;
        System.out.println("reauth_time 6 s under ping: " + r + "; " + handshakes(status) + " handshakes");
        assertTrue(handshakes(status) >= 3, "reauthenticated twice at least" + context);
        assertNotEquals(first.initiatorSpi(), last.initiatorSpi(), context);
        assertEquals(device, ifindex(client), "the same TUN device throughout" + context);
        assertTrue(status.contains("CONNECTED"), status);
        // make-before-break loses at most the packets in flight while the gateway switches (a round trip); a
        // break-before-make loses a whole handshake per reauthentication (about 20 pings each at 20/s)
        assertTrue(r.lost() <= 6, r + context);
        OfficeConnection.assertPing(client, 5, context);
    }

    /** What the client saw while its wired uplink was lost: the pings, and tcpdump's lines of them in the clear. */
    private record MoveUnderPing(SteadyPing.Result pings, String clear) {
    }

    /** Waits for the effect of the loss. */
    private interface AfterLoss {
        void await() throws Exception;
    }

    /**
     * Pings the LAN host through the tunnel every 50 ms while tcpdump watches the cellular uplink for those pings in
     * the clear; the wired link goes down 3 s in, and the pings stop once {@code afterLoss} returned.
     */
    private static MoveUnderPing loseWiredUnderPing(SystemTestContext ctx, Netns client, AfterLoss afterLoss)
            throws Exception {
        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(client, "cell0", "cell-clear", "icmp", "and", "host",
                TestNetwork.LAN_HOST_IP));
        SteadyPing ping = ctx.register(SteadyPing.start(client, TestNetwork.LAN_HOST_IP, Duration.ofMillis(50)));
        Thread.sleep(3000);
        client.execChecked("ip", "link", "set", "wan0", "down");
        afterLoss.await();
        SteadyPing.Result r = ping.stop();
        Path pcap = capture.stop();
        return new MoveUnderPing(r, client.execChecked("tcpdump", "-r", pcap.toString(), "-n").stdout());
    }

    private static RuntimeProcess startRuntime(SystemTestContext ctx, Netns client, String... profile) throws Exception {
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        OfficeConnection.writeProfile(runtime, SECRET, profile);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up);
        OfficeConnection.assertPing(client);
        return runtime;
    }

    private static int handshakes(String status) {
        Matcher m = HANDSHAKES.matcher(status);
        assertTrue(m.find(), status);
        return Integer.parseInt(m.group(1));
    }

    /** The TUN device's kernel index: a new device (the tunnel taken down and made again) has a new one. */
    private static int ifindex(Netns client) {
        String line = client.execChecked("ip", "-o", "link", "show", "mvpn0").stdout().strip();
        Matcher m = IFINDEX.matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }

    /** Waits for the gateway's old IKE SA of a replacement to go. */
    private static final class StrongSwanGatewayWait {
        static IkeSa single(StrongSwanGateway gw, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            var sas = gw.listSas();
            while (sas.size() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                sas = gw.listSas();
            }
            return OfficeConnection.single(sas);
        }
    }
}
