package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * DESIGN.md "state is data", for the policy manager (issue 11): a new build of the policy bundle deployed under a
 * live tunnel takes the connection over from the old one (IKE SA as a record, ESP records with their sequence
 * numbers, the open mvpn0) instead of ending it. strongSwan shows the same IKE SA and Child SA SPIs before and
 * after, mvpn0 keeps its kernel index, and the new policy manager runs the connection: the gateway answers its
 * engine's liveness checks, our Child SA rekey ({@code vpn:rekey --child}) and the gateway's IKE SA rekey go
 * through, and pings pass. Pings at 100 per second run during the update; how many were lost is printed.
 */
@SystemTest(tag = "polupd", requires = {"java", "tun", "ping", "charon", "swanctl"})
class PolicyUpdateIT {
    private static final Duration UPDATE = Duration.ofSeconds(60);
    private static final int DPD_SECONDS = 2;

    @Test
    void aNewBuildOfThePolicyBundleGoesOnWithTheSameConnection(SystemTestContext ctx)
            throws IOException, InterruptedException {
        OfficeConnection.Office o = OfficeConnection.up(ctx, "dpd_delay = " + DPD_SECONDS + "s");
        TestNetwork net = o.net();
        Netns client = net.client();
        StrongSwanGateway gw = o.gw();
        RuntimeProcess runtime = o.runtime();
        assertPing(client);
        IkeSa before = single(gw.listSas());
        String device = SwapChecks.deviceIndex(client);

        // 100 pings a second through the tunnel for the whole update, until traffic is seen to pass after it
        SteadyPing ping = ctx.register(SteadyPing.start(client, TestNetwork.LAN_HOST_IP, Duration.ofMillis(10)));
        Thread.sleep(2000);
        runtime.redeploy("org.mobilevpn.policy", ctx.outputDir("builds"), UPDATE);
        runtime.awaitHealthy(UPDATE);
        assertPing(client, 3, " after the policy update");
        SwapChecks.reportPingsLost(ping, "policy bundle update");
        int lastDpdBefore = SwapChecks.lastDpdAnswered(gw);

        IkeSa after = single(gw.listSas());
        SwapChecks.assertSameSas(before, after, "after the policy update:\n" + runtime.log());
        assertEquals(device, SwapChecks.deviceIndex(client), "the same mvpn0 device, kept across the policy update");
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("CONNECTED"), status);
        String log = runtime.log();
        assertTrue(log.contains("taken over from the previous policy manager"), "an operator sees the hand-over:\n" + log);

        // the resumed engine's liveness checks reach the gateway with the next message IDs and the same keys; the
        // new policy manager rekeys the Child SA it took over and installs the result; the gateway's rekey is answered
        SwapChecks.assertLivenessChecksAnswered(gw, lastDpdBefore, DPD_SECONDS);
        SwapChecks.assertRekeysWork(runtime, gw, client, before);
        status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("CONNECTED"), status);
        String events = runtime.execChecked("vpn:events office");
        // the event log lives in the policy bundle too: it starts with the hand-over
        assertTrue(events.contains("HANDED_OVER"), events);
        assertFalse(events.contains("RECONNECTING") || events.contains(" CONNECTING "), "no new tunnel:\n" + events);
    }
}
