package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mobilevpn.systemtests.UplinkLossIT.Cellular;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * A move on an IKE SA that was rekeyed first, as every long-lived tunnel's is. When the gateway rekeys the IKE SA, it
 * becomes the new SA's initiator in IKEv2's sense (RFC 7296 §2.18: our messages no longer carry the Initiator flag),
 * but MOBIKE's decisions stay with the client that started the connection: only it sends UPDATE_SA_ADDRESSES (RFC 4555
 * §3.5; strongSwan keeps its "original initiator" condition across the rekey and accepts our update). So after either
 * side's rekey the wired link going down must move the rekeyed IKE SA, not end it. UplinkLossIT's two-uplink topology.
 */
@SystemTest(tag = "rkmove", requires = {"java", "tun", "ping", "charon", "swanctl"})
class MoveAfterRekeyIT {
    private static final String SECRET = "move-after-rekey-secret";

    @Test
    void afterTheGatewayRekeyedTheIkeSaItStillMovesToTheCellularUplink(SystemTestContext ctx) throws Exception {
        moveAfterRekey(ctx, (runtime, gw) -> gw.swanctl("--rekey", "--ike", "rw"));
    }

    @Test
    void afterWeRekeyedTheIkeSaItStillMovesToTheCellularUplink(SystemTestContext ctx) throws Exception {
        moveAfterRekey(ctx, (runtime, gw) -> runtime.execChecked("vpn:rekey office"));
    }

    private interface Rekey {
        void start(RuntimeProcess runtime, StrongSwanGateway gw) throws Exception;
    }

    private static void moveAfterRekey(SystemTestContext ctx, Rekey rekey) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        UplinkLossIT.addCellularPath(ctx, net, Cellular.ROUTED);
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(SECRET).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        OfficeConnection.writeProfile(runtime, SECRET, "dpd_delay = 5s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        IkeSa first = OfficeConnection.single(gw.listSas());

        rekey.start(runtime, gw);
        IkeSa rekeyed = RekeyChecks.awaitGatewaySa(gw, RekeyChecks.ikeSaOtherThan(first), "the rekeyed IKE SA",
                Duration.ofSeconds(30));
        OfficeConnection.assertPing(client);

        client.execChecked("ip", "link", "set", "wan0", "down");
        IkeSa moved = UplinkLossIT.awaitRemote(gw, UplinkLossIT.CELL_CLIENT_IP);
        String status = runtime.awaitState("office", "CONNECTED", Duration.ofSeconds(30));
        String context = "\nrekeyed: " + rekeyed + "\nafter the move: " + moved + "\n" + status;
        assertEquals(rekeyed.uniqueId(), moved.uniqueId(), "the rekeyed IKE SA moved, no new handshake" + context);
        assertEquals(rekeyed.initiatorSpi(), moved.initiatorSpi(), context);
        assertEquals(rekeyed.responderSpi(), moved.responderSpi(), context);
        assertTrue(status.matches("(?s).*moves\\s+1 .*"), "one move counted: " + status);
        OfficeConnection.assertPing(client, 5, context);
    }
}
