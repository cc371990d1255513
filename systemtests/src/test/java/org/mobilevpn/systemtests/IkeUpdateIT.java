package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * DESIGN.md "state is data", for the IKE engine: a new build of the ike bundle deployed under a live tunnel
 * takes the IKE SA over from the old one as data (IkeSaRecord) — no renegotiation, which strongSwan confirms
 * (the same IKE SA and Child SA SPIs) — and the new engine goes on with it: the gateway answers its liveness
 * checks (message IDs and keys continue), our Child SA rekey goes through and it answers the gateway's IKE SA
 * rekey. Pings at 100 per second run through the tunnel during the update; how many were lost is printed.
 */
@SystemTest(tag = "ikeupd", requires = {"java", "tun", "ping", "charon", "swanctl"})
class IkeUpdateIT {
    private static final Duration UPDATE = Duration.ofSeconds(60);
    private static final int DPD_SECONDS = 2;

    @Test
    void aNewBuildOfTheIkeBundleGoesOnWithTheSameIkeSa(SystemTestContext ctx) throws IOException, InterruptedException {
        OfficeConnection.Office o = OfficeConnection.up(ctx, "dpd_delay = " + DPD_SECONDS + "s");
        TestNetwork net = o.net();
        Netns client = net.client();
        StrongSwanGateway gw = o.gw();
        RuntimeProcess runtime = o.runtime();
        assertPing(client);
        IkeSa before = single(gw.listSas());
        int lastDpdBefore = SwapChecks.lastDpdAnswered(gw);

        // 100 pings a second through the tunnel for the whole update, until traffic is seen to pass after it
        SteadyPing ping = ctx.register(SteadyPing.start(client, TestNetwork.LAN_HOST_IP, Duration.ofMillis(10)));
        Thread.sleep(2000);
        runtime.redeploy("org.mobilevpn.ike", ctx.outputDir("builds"), UPDATE);
        runtime.awaitHealthy(UPDATE);
        assertPing(client, 3, " after the ike update");
        SwapChecks.reportPingsLost(ping, "ike bundle update");
        String log = runtime.log();
        assertTrue(log.contains("handing") && log.contains("resumed"), "the session was handed over and resumed:\n" + log);

        IkeSa after = single(gw.listSas());
        SwapChecks.assertSameSas(before, after, "after the ike update");

        // the new engine's liveness checks reach the gateway with the next message IDs and the old keys; our Child
        // SA rekey and the gateway's IKE SA rekey go through with it, traffic flowing after each
        SwapChecks.assertLivenessChecksAnswered(gw, lastDpdBefore, DPD_SECONDS);
        SwapChecks.assertRekeysWork(runtime, gw, client, before);
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("CONNECTED"), status);
        String events = runtime.execChecked("vpn:events office");
        assertFalse(events.contains("RECONNECTING"), events);
    }
}
