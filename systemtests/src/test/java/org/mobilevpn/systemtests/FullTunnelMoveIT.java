package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * A full tunnel ({@code remote_ts = 0.0.0.0/0}) on UplinkLossIT's two uplinks, with the cellular one reached through a
 * second default route (metric 200) instead of a route to the gateway's network: the tunnel's /1 routes would capture
 * IKE and ESP to the gateway but for its host route, which went via the wired uplink at connect time and which the
 * kernel drops with that link. The host route must follow each move (RFC 4555 §3.5 moves the IKE SA; the route is
 * what lets its packets out of the new uplink), go back with the wired link and go with the tunnel.
 */
@SystemTest(tag = "ftmove", requires = {"java", "tun", "ping", "charon", "swanctl", "nft"})
class FullTunnelMoveIT {
    private static final String CELL_CLIENT_IP = "100.64.0.2";
    private static final String SECRET = "fulltunnel-move-it-secret";

    private static final String LINK_DOWN = "ip link set wan0 down";
    private static final String LINK_UP = "ip link set wan0 up";

    @Test
    void theGatewaysRouteFollowsTheIkeSaToTheCellularUplinkAndBack(SystemTestContext ctx) throws Exception {
        moveAndBack(ctx, List.of(), LINK_DOWN, LINK_UP);
    }

    @Test
    void whenTheWiredAddressIsRemovedAndAddedAgainTheGatewaysRouteFollows(SystemTestContext ctx) throws Exception {
        String address = TestNetwork.CLIENT_IP + "/24 dev wan0";
        moveAndBack(ctx, List.of(), "ip address del " + address, "ip address add " + address);
    }

    /** The gateway only through default routes; the operator points the wired one at the cellular uplink and back. */
    @Test
    void whenTheDefaultRouteIsReplacedTheGatewaysRouteFollows(SystemTestContext ctx) throws Exception {
        String wired = "ip route replace default via " + TestNetwork.GATEWAY_IP + " dev wan0 onlink";
        moveAndBack(ctx, List.of("ip route del " + TestNetwork.WAN_NET + " dev wan0", wired),
                "ip route replace default via 100.64.0.1 dev cell0", wired);
    }

    /** The kill switch lets IKE and ESP to the gateway out of whichever uplink the tunnel uses. */
    @Test
    void withTheKillSwitchTheIkeSaStillMovesOutOfTheCellularUplink(SystemTestContext ctx) throws Exception {
        String status = moveAndBack(ctx, List.of(), LINK_DOWN, LINK_UP, "kill_switch = true");
        assertTrue(status.matches("(?s).*kill switch\\s+engaged.*"), status);
    }

    /**
     * Connects over the wired uplink ({@code prepare} run in the client namespace first), breaks it with
     * {@code breakWired}, checks the move, restores it with {@code restoreWired}, checks the move back, takes the
     * tunnel down; the status before that.
     */
    private static String moveAndBack(SystemTestContext ctx, List<String> prepare, String breakWired,
            String restoreWired, String... profile) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        UplinkLossIT.addCellularPath(ctx, net, UplinkLossIT.Cellular.ROUTED);
        // the gateway's network only through the cellular default route once the wired link is gone
        client.ip("route", "del", TestNetwork.WAN_NET, "via", "100.64.0.1");
        client.ip("route", "add", "default", "via", "100.64.0.1", "dev", "cell0", "metric", "200");
        for (String command : prepare) {
            client.execChecked(command.split(" "));
        }
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayPsk(SECRET).configure("rw", c -> c.localTs("0.0.0.0/0")).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        List<String> lines = new ArrayList<>(List.of("dpd_delay = 5s", "remote_ts = 0.0.0.0/0"));
        lines.addAll(List.of(profile));
        OfficeConnection.writeProfile(runtime, SECRET, lines.toArray(String[]::new));
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        IkeSa before = OfficeConnection.single(gw.listSas());
        assertEquals(TestNetwork.CLIENT_IP, before.remoteHost(), "the wired path first: " + before);
        assertTrue(routeToGateway(client).contains(" dev wan0 "), routeToGateway(client));
        assertTrue(client.ip("route", "get", "203.0.113.7").stdout().contains(" dev mvpn"), "a full tunnel");
        OfficeConnection.assertPing(client);

        client.execChecked(breakWired.split(" "));
        IkeSa moved = UplinkLossIT.awaitRemote(gw, CELL_CLIENT_IP);
        String status = runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        String context = "\nbefore: " + before + "\nafter: " + moved + "\nroute: " + routeToGateway(client) + "\n"
                + status;
        assertEquals(before.uniqueId(), moved.uniqueId(), "the same IKE SA" + context);
        assertTrue(routeToGateway(client).contains(" dev cell0 "), "IKE/ESP out of the cellular uplink" + context);
        assertTrue(status.matches("(?s).*local\\s+" + Pattern.quote(CELL_CLIENT_IP) + ":.*"), status);
        OfficeConnection.assertPing(client, 5, context);

        client.execChecked(restoreWired.split(" "));
        IkeSa back = UplinkLossIT.awaitRemote(gw, TestNetwork.CLIENT_IP);
        status = runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        context = "\nback: " + back + "\nroute: " + routeToGateway(client) + "\n" + status;
        assertEquals(before.uniqueId(), back.uniqueId(), "still the same IKE SA" + context);
        assertTrue(routeToGateway(client).contains(" dev wan0 "), "back on the wired uplink" + context);
        OfficeConnection.assertPing(client, 5, context);

        runtime.execChecked("vpn:down office");
        String routes = client.ip("route", "show").stdout();
        assertFalse(routes.lines().anyMatch(l -> l.startsWith(TestNetwork.GATEWAY_IP + " ")),
                "the gateway's host route goes with the tunnel: " + routes);
        return status;
    }

    private static String routeToGateway(Netns client) {
        return client.ip("-o", "route", "get", TestNetwork.GATEWAY_IP).stdout().strip() + " ";
    }
}
