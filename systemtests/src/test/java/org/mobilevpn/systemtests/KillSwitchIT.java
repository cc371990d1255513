package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TcpdumpCapture;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * The kill switch through the runtime, seen from the client's WAN interface (issue 12, finding 1). Each test
 * captures wan0 and asks tcpdump for the packets that must not be there: anything the client sends that is
 * not IKE or ESP (in UDP or not) to the gateway, and any IPv6 beyond neighbour discovery. An "outside"
 * address, 198.51.100.7, sits on the gateway's WAN side and answers pings in clear.
 */
@SystemTest(tag = "killswitch", requires = {"java", "tun", "ping", "charon", "swanctl", "nft", "tcpdump"})
class KillSwitchIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final String OUTSIDE_IP = "198.51.100.7";
    /** What the client may send on wan0 with the kill switch engaged; everything else is a leak. */
    private static final String LEAKS = "(ip and src host " + TestNetwork.CLIENT_IP + " and not (dst host "
            + TestNetwork.GATEWAY_IP + " and (udp dst port 500 or udp dst port 4500 or ip proto 50)))"
            + " or (ip6 and not (icmp6 and ip6[40] >= 133 and ip6[40] <= 136))";

    /** Runtime, gateway, profile {@code office} with the overrides, up and pinging the LAN. */
    private record Setup(TestNetwork net, StrongSwanGateway gw, RuntimeProcess runtime) {
    }

    private Setup connect(SystemTestContext ctx, SwanctlConf.Builder gateway, String secret, String... profile)
            throws IOException {
        TestNetwork net = ctx.standardNetwork();
        net.gateway().address("wan0", OUTSIDE_IP + "/24");
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), gateway.build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, profile);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\n" + runtime.execChecked("vpn:status office"));
        return new Setup(net, gw, runtime);
    }

    private static String leaks(Netns client, Path pcap) {
        return client.execChecked("tcpdump", "-r", pcap.toString(), "-n", LEAKS).stdout();
    }

    private static boolean answers(Netns ns, String address) {
        return ns.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", address).stdout().contains("1 received");
    }

    static boolean tableThere(Netns ns) {
        return ns.execChecked("nft", "list", "tables").stdout().contains("inet mobilevpn");
    }

    @Test
    void neitherTheGatewaysDeathNorTheRuntimesCrashLetsAnythingButIkeAndEspOut(SystemTestContext ctx) throws IOException {
        String secret = "killswitch-crash-it-" + System.nanoTime();
        Setup s = connect(ctx, SwanctlConf.gatewayPsk(secret), secret, "kill_switch = true", "dpd_delay = 2s");
        Netns client = s.net().client();
        assertPing(client);
        assertFalse(answers(client, OUTSIDE_IP), "with the kill switch the outside address is out of reach");
        assertTrue(s.runtime().execChecked("vpn:status office").matches("(?s).*kill switch +engaged.*"),
                s.runtime().execChecked("vpn:status office"));

        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(client, "wan0", "wan-crash"));
        NsProcess tunnelled = ctx.register(client.start("ping-lan", "ping", "-i", "0.2", TestNetwork.LAN_HOST_IP));
        NsProcess outside = ctx.register(client.start("ping-outside", "ping", "-i", "0.2", OUTSIDE_IP));
        NsProcess outside6 = ctx.register(client.start("ping-outside6", "ping", "-6", "-i", "0.2", TestNetwork.GATEWAY_IP6));
        sleep(Duration.ofSeconds(2)); // traffic through the tunnel first
        s.gw().kill();
        // dpd_delay 2 s: the liveness check goes unanswered and the connection reconnects (backoff from 1 s)
        s.runtime().awaitOutput("vpn:status office", "RECONNECTING", Duration.ofSeconds(60));
        sleep(Duration.ofSeconds(4));
        s.runtime().kill();
        assertFalse(client.exec("ip", "link", "show", "mvpn0").exitCode() == 0, "the TUN device went with the process");
        sleep(Duration.ofSeconds(4));
        assertTrue(tableThere(client), "the rules outlive the runtime");
        tunnelled.stop();
        outside.stop();
        outside6.stop();
        Path pcap = capture.stop();
        assertEquals("", leaks(client, pcap), "packets that left in clear");
        String all = client.execChecked("tcpdump", "-r", pcap.toString(), "-n", "src host " + TestNetwork.CLIENT_IP).stdout();
        assertTrue(all.contains(TestNetwork.GATEWAY_IP + ".500:"), "the reconnect attempts did reach the wire:\n" + all);
        assertTrue(all.lines().filter(l -> l.contains(TestNetwork.GATEWAY_IP + ".4500:")).count() >= 5,
                "the tunnelled pings went as ESP in UDP before the gateway died:\n" + all);

        // a new start keeps the rules while the connection is still wanted; vpn:down takes them away
        s.runtime().restart();
        s.runtime().awaitHealthy(START);
        s.runtime().awaitOutput("vpn:status office", "engaged, ", Duration.ofSeconds(30));
        assertFalse(answers(client, OUTSIDE_IP), "still blocked after the restart");
        s.runtime().execChecked("vpn:down office");
        assertFalse(tableThere(client), client.exec("nft", "list", "ruleset").stdout());
        assertTrue(answers(client, OUTSIDE_IP), "vpn:down lets traffic out again");
    }

    @Test
    void noIpv6LeavesBesideAnIpv4OnlyTunnel(SystemTestContext ctx) throws IOException {
        noIpv6Leaves(ctx, "kill switch +engaged", "kill_switch = true", "remote_ts = 0.0.0.0/0");
    }

    /**
     * The profile tunnels {@code ::/0} too, but the gateway narrows the selectors to IPv4 and hands out an IPv4
     * address only: without the kill switch IPv6 used to leave in clear, since no IPv6 route points into the
     * tunnel. The tunnel's destinations of every family the profile asks for are held to the tunnel device.
     */
    @Test
    void noIpv6LeavesBesideAnIpv4OnlyTunnelEvenWithoutKillSwitchWhenTheProfileTunnelsIpv6(SystemTestContext ctx)
            throws IOException {
        noIpv6Leaves(ctx, "kill switch +off", "remote_ts = 0.0.0.0/0, ::/0");
    }

    private void noIpv6Leaves(SystemTestContext ctx, String killSwitchStatus, String... profile) throws IOException {
        String secret = "killswitch-ipv6-it-" + System.nanoTime();
        Setup s = connect(ctx, SwanctlConf.gatewayPsk(secret).configure("rw", c -> c.localTs("0.0.0.0/0")), secret,
                profile);
        Netns client = s.net().client();
        assertPing(client);
        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(client, "wan0", "wan-ipv6"));
        assertFalse(answers(client, TestNetwork.GATEWAY_IP6), "IPv6 beside the IPv4-only tunnel");
        assertFalse(answers(client, TestNetwork.LAN_HOST_IP6), "IPv6 beside the IPv4-only tunnel");
        Path pcap = capture.stop();
        assertEquals("", leaks(client, pcap), "packets that left in clear");
        String status = s.runtime().execChecked("vpn:status office");
        assertTrue(status.matches("(?s).*" + killSwitchStatus + ".*, [1-9]\\d* packets blocked.*"), status);
    }

    @Test
    void aMoreSpecificRouteOutsideTheTunnelDoesNotTakeTunnelledTrafficOutEvenWithoutKillSwitch(SystemTestContext ctx)
            throws IOException {
        String secret = "killswitch-tunnelvision-it-" + System.nanoTime();
        Setup s = connect(ctx, SwanctlConf.gatewayPsk(secret), secret);
        Netns client = s.net().client();
        assertPing(client);
        // TunnelVision: a route more specific than the tunnel's, as a DHCP server's option 121 would push
        client.ip("route", "add", TestNetwork.LAN_HOST_IP + "/32", "via", TestNetwork.GATEWAY_IP, "dev", "wan0");
        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(client, "wan0", "wan-tunnelvision"));
        client.exec(Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-W", "1", TestNetwork.LAN_HOST_IP);
        assertTrue(answers(client, OUTSIDE_IP), "without kill switch the rest of the world is reachable");
        Path pcap = capture.stop();
        String clear = client.execChecked("tcpdump", "-r", pcap.toString(), "-n", "dst host " + TestNetwork.LAN_HOST_IP)
                .stdout();
        assertEquals("", clear, "tunnelled traffic left in clear by the more specific route");
        assertTrue(s.runtime().execChecked("vpn:status office").matches("(?s).*kill switch +off .*, [1-9]\\d* packets blocked.*"),
                s.runtime().execChecked("vpn:status office"));
        client.ip("route", "del", TestNetwork.LAN_HOST_IP + "/32");
        assertPing(client, 3, " once the rogue route is gone");
    }

    @Test
    void anExcludedDestinationOfAFullTunnelIsReachedOutsideItAndVpnDownRemovesTheRules(SystemTestContext ctx)
            throws IOException {
        String secret = "killswitch-exclude-it-" + System.nanoTime();
        Setup s = connect(ctx, SwanctlConf.gatewayPsk(secret).configure("rw", c -> c.localTs("0.0.0.0/0")), secret,
                "kill_switch = true", "remote_ts = 0.0.0.0/0", "split_exclude = " + TestNetwork.LAN_HOST_IP + "/32");
        Netns client = s.net().client();
        // the LAN host answers clear traffic from the client's own address only through this route
        s.net().lan().route(TestNetwork.WAN_NET, TestNetwork.GATEWAY_LAN_IP);
        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(client, "wan0", "wan-exclude"));
        assertTrue(answers(client, TestNetwork.LAN_HOST_IP), "the excluded destination is reached");
        assertFalse(answers(client, OUTSIDE_IP), "the kill switch holds the rest");
        assertTrue(tableThere(client));
        Path pcap = capture.stop();
        String clear = client.execChecked("tcpdump", "-r", pcap.toString(), "-n", "icmp and dst host "
                + TestNetwork.LAN_HOST_IP).stdout();
        assertFalse(clear.isEmpty(), "the excluded destination went outside the tunnel, in clear");
        s.runtime().execChecked("vpn:down office");
        assertFalse(tableThere(client), "vpn:down removes the table");
        List<String> routes = client.ip("route", "show").stdout().lines().toList();
        assertTrue(routes.stream().noneMatch(r -> r.startsWith(TestNetwork.LAN_HOST_IP)), "no exclusion route left: " + routes);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
