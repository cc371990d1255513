package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TcpdumpCapture;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * The profile's {@code uplinks} (issue 13 item 2) on {@link UplinkLossIT}'s topology: the wired wan0 on the gateway's
 * network (the kernel's route to the gateway) and cell0 behind a carrier-grade NAT. {@code uplinks = cell0, wan0}
 * makes IKE and ESP leave by cell0 although the kernel would take wan0, from the first IKE_SA_INIT on: the gateway
 * sees the NAT's address, tcpdump on both uplinks (listening before the connect) shows which one carried the
 * packets, and no move follows the connect. cell0 gone: the same IKE SA moves to wan0; cell0 back:
 * it moves back. The tunnel's own routes stay the way to what it carries whatever the uplinks' default routes say.
 */
@SystemTest(tag = "uplinkpref", requires = {"java", "tun", "ping", "charon", "swanctl", "nft", "tcpdump"})
class UplinkPreferenceIT {
    private static final String SECRET = "uplink-preference-it-secret";
    private static final String CELLULAR_ROUTE = TestNetwork.WAN_NET + " via 100.64.0.1 metric 200";

    @Test
    void thePreferredCellularUplinkCarriesTheTunnelAndTheIkeSaFollowsItAwayAndBack(SystemTestContext ctx)
            throws Exception {
        Connected c = connectPreferringCellular(ctx, SwanctlConf.gatewayPsk(SECRET));
        Netns client = c.client();
        StrongSwanGateway gw = c.gateway();
        RuntimeProcess runtime = c.runtime();
        IkeSa first = c.sa();
        String status = c.status();
        String context = c.context();
        assertTrue(status.matches("(?s).*uplinks\\s+cell0, wan0 .*"), "the preference" + context);
        assertTrue(status.matches("(?s).*local\\s+" + Pattern.quote(UplinkLossIT.CELL_CLIENT_IP) + ":.*"), context);
        assertEspLeavesOnlyBy(ctx, client, "cell0", "preferred", context);
        assertNoMoveSinceConnecting(runtime, context);

        // a default route on the cellular uplink with a lower metric than the tunnel's routes (5) takes nothing from
        // the tunnel: its routes are more specific, whatever the uplinks' metrics
        client.ip("route", "add", "default", "via", "100.64.0.1", "dev", "cell0", "metric", "1");
        assertTrue(client.ip("-o", "route", "get", TestNetwork.LAN_HOST_IP).stdout().contains(" dev mvpn"),
                "remote_ts goes into the tunnel: " + client.ip("route", "show").stdout());

        client.execChecked("ip", "link", "set", "cell0", "down");
        IkeSa wired = UplinkLossIT.awaitRemote(gw, TestNetwork.CLIENT_IP);
        status = runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        context = "\ngateway: " + wired + "\nroute: " + routeToGateway(client) + "\n" + status;
        assertEquals(first.uniqueId(), wired.uniqueId(), "the same IKE SA" + context);
        assertEquals(first.initiatorSpi(), wired.initiatorSpi(), context);
        assertTrue(routeToGateway(client).contains(" dev wan0 "), "cell0 gone: the next uplink listed" + context);
        assertEspLeavesOnlyBy(ctx, client, "wan0", "cell0-down", context);

        // the link back, and its route as the modem's connection manager would put it back
        client.execChecked("ip", "link", "set", "cell0", "up");
        client.execChecked(("ip route add " + CELLULAR_ROUTE).split(" "));
        client.ip("route", "add", "default", "via", "100.64.0.1", "dev", "cell0", "metric", "1");
        IkeSa back = UplinkLossIT.awaitRemote(gw, UplinkLossIT.CGNAT_OUTSIDE_IP);
        status = runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        context = "\ngateway: " + back + "\nroute: " + routeToGateway(client) + "\n" + status;
        assertEquals(first.uniqueId(), back.uniqueId(), "still the same IKE SA" + context);
        assertEquals(1, gw.listSas().size(), context);
        assertTrue(routeToGateway(client).contains(" dev cell0 "), "back on the preferred uplink" + context);
        assertTrue(status.matches("(?s).*moves\\s+2 .*"), "to wan0, back to cell0 (none after connecting)" + context);
        assertTrue(client.ip("-o", "route", "get", TestNetwork.LAN_HOST_IP).stdout().contains(" dev mvpn"),
                "after the moves, remote_ts still goes into the tunnel: " + client.ip("route", "show").stdout());
        assertEspLeavesOnlyBy(ctx, client, "cell0", "cell0-back", context);

        runtime.execChecked("vpn:down office");
        String routes = client.ip("route", "show").stdout();
        assertFalse(routes.lines().anyMatch(l -> l.startsWith(TestNetwork.GATEWAY_IP + " ")),
                "the gateway's host route goes with the tunnel: " + routes);
    }

    /**
     * A gateway with {@code mobike = no}, and a full tunnel: the first IKE SA is made over the preferred cell0 already,
     * so nothing has to be replaced after connecting (before, a new IKE SA over cell0 was made before the one over wan0
     * was deleted); the gateway has that one only, seen from the NAT's address. The host route set for the handshake
     * is the one that keeps IKE and ESP out of the tunnel's /1 routes; the NIC took it over, and it goes with the tunnel.
     */
    @Test
    void withoutMobikeInAFullTunnelThePreferredUplinkCarriesTheFirstIkeSa(SystemTestContext ctx) throws Exception {
        Connected c = connectPreferringCellular(ctx, SwanctlConf.gatewayPsk(SECRET)
                .configure("rw", r -> r.mobike(false).localTs("0.0.0.0/0")), "remote_ts = 0.0.0.0/0");
        assertTrue(c.client().ip("route", "get", "203.0.113.7").stdout().contains(" dev mvpn"), "a full tunnel"
                + c.context());
        assertEspLeavesOnlyBy(ctx, c.client(), "cell0", "nomobike", c.context());
        assertNoMoveSinceConnecting(c.runtime(), c.context());
        assertEquals(1, c.gateway().listSas().size(), "no second IKE SA" + c.context());
        assertEquals(c.sa().uniqueId(), c.gateway().listSas().get(0).uniqueId(), "the first IKE SA" + c.context());

        // the DELETE leaves by cell0 too (before: by the kernel's route over wan0, once the NIC and its route had gone)
        Map<String, TcpdumpCapture> down = new TreeMap<>();
        for (String u : new String[] {"wan0", "cell0"}) {
            down.put(u, ctx.register(TcpdumpCapture.start(c.client(), u, "down-" + u)));
        }
        try {
            c.runtime().execChecked("vpn:down office");
            c.runtime().awaitState("office", "DISABLED", Duration.ofSeconds(30));
        } finally {
            down.values().forEach(TcpdumpCapture::stop);
        }
        int overWan = count(c.client(), down.get("wan0").file(), INFORMATIONAL);
        int overCell = count(c.client(), down.get("cell0").file(), INFORMATIONAL);
        assertTrue(overWan == 0 && overCell >= 1, overCell + " INFORMATIONAL out of cell0, " + overWan + " out of wan0"
                + c.context());
        assertEquals(0, c.gateway().listSas().size(), "the gateway took our DELETE" + c.context());
        String routes = c.client().ip("route", "show").stdout();
        assertFalse(routes.lines().anyMatch(l -> l.startsWith(TestNetwork.GATEWAY_IP + " ")),
                "the gateway's host route goes with the tunnel: " + routes);
    }

    /** What {@link #connectPreferringCellular} left: the tunnel on cell0, the gateway's only IKE SA, the status. */
    private record Connected(Netns client, StrongSwanGateway gateway, RuntimeProcess runtime, IkeSa sa, String status,
            String context) {
    }

    /**
     * Both uplinks up, the kernel's route to the gateway over wan0; the runtime connects with
     * {@code uplinks = cell0, wan0} and the {@code profile} lines: IKE_SA_INIT and IKE_AUTH leave by cell0 only, the
     * gateway ends with one IKE SA from the NAT's address, the route to it leads out of cell0, and vpn:status names cell0.
     */
    private static Connected connectPreferringCellular(SystemTestContext ctx, SwanctlConf.Builder gatewayConf,
            String... profile) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        UplinkLossIT.addCellularPath(ctx, net, UplinkLossIT.Cellular.CGNAT);
        assertTrue(routeToGateway(client).contains(" dev wan0 "), "the kernel's own choice: " + routeToGateway(client));
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), gatewayConf.build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        List<String> lines = new ArrayList<>(List.of("dpd_delay = 5s", "uplinks = cell0, wan0"));
        lines.addAll(List.of(profile));
        OfficeConnection.writeProfile(runtime, SECRET, lines.toArray(String[]::new));
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        // listening on both uplinks from before the first IKE_SA_INIT: the handshake itself must leave by cell0
        Map<String, TcpdumpCapture> handshake = new TreeMap<>();
        for (String u : new String[] {"wan0", "cell0"}) {
            handshake.put(u, ctx.register(TcpdumpCapture.start(client, u, "handshake-" + u)));
        }
        String up;
        try {
            up = runtime.execChecked("vpn:up office");
        } finally {
            handshake.values().forEach(TcpdumpCapture::stop);
        }
        assertTrue(up.startsWith("office: CONNECTED"), up);

        IkeSa sa = UplinkLossIT.awaitRemote(gw, UplinkLossIT.CGNAT_OUTSIDE_IP);
        String status = runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        String context = "\ngateway: " + sa + "\nroute: " + routeToGateway(client) + "\n" + status;
        assertTrue(routeToGateway(client).contains(" dev cell0 "), "IKE and ESP routed out of cell0" + context);
        assertTrue(status.matches("(?s).*uplink\\s+cell0\\s.*"), "the uplink in use" + context);
        for (Map.Entry<String, TcpdumpCapture> e : handshake.entrySet()) {
            int init = count(client, e.getValue().file(), IKE_SA_INIT);
            int auth = count(client, e.getValue().file(), IKE_AUTH);
            if (e.getKey().equals("cell0")) {
                assertTrue(init >= 1 && auth >= 1, init + " IKE_SA_INIT and " + auth + " IKE_AUTH out of cell0" + context);
            } else {
                assertEquals(0, init + auth, init + " IKE_SA_INIT and " + auth + " IKE_AUTH out of wan0, not cell0" + context);
            }
        }
        return new Connected(client, gw, runtime, sa, status, context);
    }

    /**
     * vpn:status some seconds after connecting (pings went through meanwhile) counts no move: the IKE SA was made over
     * the preferred uplink (before, it moved there about 235 ms after it was up). The line shows only once one happened.
     */
    private static void assertNoMoveSinceConnecting(RuntimeProcess runtime, String context) throws Exception {
        String status = runtime.execChecked("vpn:status office");
        assertFalse(status.matches("(?s).*\\n\\s*moves\\s.*"), "made over cell0: no move after connecting\n" + status
                + context);
        assertTrue(status.matches("(?s).*handshakes\\s+1 .*"), "one handshake\n" + status + context);
    }

    /** IKE_SA_INIT (exchange type 34, RFC 7296 §3.1) to the gateway's port 500: the octet 18 into the IKE header. */
    private static final String IKE_SA_INIT = "udp and dst host " + TestNetwork.GATEWAY_IP + " and dst port 500"
            + " and udp[26] = 34";
    /** IKE_AUTH (type 35) to port 500, or to port 4500 behind the non-ESP marker (RFC 3948 §2.2). */
    private static final String IKE_AUTH = "udp and dst host " + TestNetwork.GATEWAY_IP + " and ((dst port 500 and"
            + " udp[26] = 35) or (dst port 4500 and udp[8:4] = 0 and udp[30] = 35))";

    /** INFORMATIONAL (type 37, our DELETE) to port 4500 behind the non-ESP marker. */
    private static final String INFORMATIONAL = "udp and dst host " + TestNetwork.GATEWAY_IP
            + " and dst port 4500 and udp[8:4] = 0 and udp[30] = 37";

    private static int count(Netns client, Path pcap, String filter) {
        String out = client.execChecked("tcpdump", "-r", pcap.toString(), "-n", filter).stdout();
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }

    /**
     * Pings the LAN host through the tunnel while tcpdump listens on both uplinks: the ESP (and any IKE) to the
     * gateway left by {@code uplink} only.
     */
    private static void assertEspLeavesOnlyBy(SystemTestContext ctx, Netns client, String uplink, String step,
            String context) throws Exception {
        Map<String, TcpdumpCapture> captures = new TreeMap<>();
        for (String u : new String[] {"wan0", "cell0"}) {
            if (client.ip("-o", "link", "show", u).stdout().contains("state UP")) {
                captures.put(u, ctx.register(TcpdumpCapture.start(client, u, step + "-" + u)));
            }
        }
        try {
            OfficeConnection.assertPing(client, 5, context);
        } finally {
            captures.values().forEach(TcpdumpCapture::stop);
        }
        for (Map.Entry<String, TcpdumpCapture> e : captures.entrySet()) {
            int sent = toGateway(client, e.getValue().file());
            if (e.getKey().equals(uplink)) {
                assertTrue(sent >= 5, sent + " datagrams to the gateway out of " + uplink + context);
            } else {
                assertEquals(0, sent, "datagrams to the gateway out of " + e.getKey() + " instead of " + uplink + context);
            }
        }
    }

    /** IKE and ESP-in-UDP datagrams to the gateway in a capture. */
    private static int toGateway(Netns client, Path pcap) {
        return count(client, pcap, "udp and dst host " + TestNetwork.GATEWAY_IP + " and (dst port 500 or dst port 4500)");
    }

    private static String routeToGateway(Netns client) {
        return client.ip("-o", "route", "get", TestNetwork.GATEWAY_IP).stdout().strip() + " ";
    }
}
