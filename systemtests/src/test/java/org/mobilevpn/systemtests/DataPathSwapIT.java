package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * DESIGN.md "state is data": a new build of the datapath, esp or filter bundle deployed into a running
 * runtime under a live tunnel continues the same IKE SA and Child SA on the new code — no renegotiation,
 * which the strongSwan gateway confirms (same SPIs, one IKE SA) — and traffic flows on. The gateway's
 * anti-replay check also proves the outbound sequence numbers were carried over: packets numbered from 1
 * again would be dropped there as replays of the ones sent before the swap.
 */
@SystemTest(tag = "swap", requires = {"java", "tun", "ping", "charon", "swanctl"})
class DataPathSwapIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration UPDATE = Duration.ofSeconds(60);

    @Test
    void newBuildsOfDatapathEspAndFilterTakeOverTheLiveTunnelWithoutANewHandshake(SystemTestContext ctx)
            throws IOException {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        String secret = "swap-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\nruntime log:\n" + runtime.log());
        assertPing(client, 10, runtime.exec("vpn:status office").output());
        IkeSa before = single(gw.listSas());

        for (String bundle : List.of("org.mobilevpn.datapath", "org.mobilevpn.esp", "org.mobilevpn.filter")) {
            long sentBefore = single(gw.listSas()).child().packetsIn();

            runtime.redeploy(bundle, ctx.outputDir("builds"), UPDATE);
            runtime.awaitHealthy(UPDATE);
            runtime.awaitState("office", "CONNECTED", UPDATE);
            assertPing(client, 3, runtime.exec("vpn:status office").output() + runtime.exec("vpn:sas office").output());

            IkeSa after = single(gw.listSas());
            assertEquals(before.initiatorSpi(), after.initiatorSpi(), bundle + ": the same IKE SA, no new handshake");
            assertEquals(before.responderSpi(), after.responderSpi(), bundle);
            ChildSa child = after.child();
            assertEquals(before.child().spiIn(), child.spiIn(), bundle + ": the same Child SA");
            assertEquals(before.child().spiOut(), child.spiOut(), bundle);
            assertTrue(child.packetsIn() >= sentBefore + 3, bundle + ": the gateway accepted our packets after the swap: "
                    + sentBefore + " before, " + child.packetsIn() + " now");
        }
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("CONNECTED"), status);
        System.out.println("after three swaps:\n" + status);
    }
}
