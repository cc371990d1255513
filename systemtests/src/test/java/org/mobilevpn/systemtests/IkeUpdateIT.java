package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * DESIGN.md "state is data", for the IKE engine: a new build of the ike bundle deployed under a live tunnel
 * takes the IKE SA over from the old one as data (IkeSaRecord) — no renegotiation, which strongSwan confirms
 * (the same IKE SA and Child SA SPIs) — and the new engine goes on with it: the gateway answers its liveness
 * checks (message IDs and keys continue) and it answers the gateway's IKE SA rekey. Pings at 100 per second
 * run through the tunnel during the update; how many were lost is printed.
 */
@SystemTest(tag = "ikeupd", requires = {"java", "tun", "ping", "charon", "swanctl"})
class IkeUpdateIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration UPDATE = Duration.ofSeconds(60);
    private static final int DPD_SECONDS = 2;
    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    /** strongSwan's line for each liveness check of ours it answers. */
    private static final Pattern DPD_ANSWERED = Pattern.compile("generating INFORMATIONAL response (\\d+) \\[ \\]");

    @Test
    void aNewBuildOfTheIkeBundleGoesOnWithTheSameIkeSa(SystemTestContext ctx) throws IOException, InterruptedException {
        TestNetwork net = ctx.standardNetwork();
        Netns client = net.client();
        String secret = "ike-update-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dpd_delay = " + DPD_SECONDS + "s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\nruntime log:\n" + runtime.log());
        assertPing(client);
        IkeSa before = single(gw.listSas());
        int lastDpdBefore = lastDpdAnswered(gw.log());

        // 100 pings a second through the tunnel for the whole update; -w ends it after 20 s whatever happens
        NsProcess ping = ctx.register(client.start("ping-during-update", "ping", "-i", "0.01", "-w", "20", "-W", "1",
                TestNetwork.LAN_HOST_IP));
        Thread.sleep(2000);
        runtime.redeploy("org.mobilevpn.ike", ctx.outputDir("builds"), UPDATE);
        runtime.awaitHealthy(UPDATE);
        String summary = ping.awaitOutput(PING_SUMMARY.pattern(), Duration.ofSeconds(40));
        Matcher m = PING_SUMMARY.matcher(summary);
        assertTrue(m.find());
        int lost = Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2));
        System.out.println("ike bundle update: " + lost + " of " + m.group(1) + " pings lost at 100/s (" + lost * 10
                + " ms of traffic)");
        String log = runtime.log();
        assertTrue(log.contains("handing") && log.contains("resumed"), "the session was handed over and resumed:\n" + log);

        IkeSa after = single(gw.listSas());
        assertEquals(before.uniqueId(), after.uniqueId(), "the same IKE SA at the gateway, no new handshake");
        assertEquals(before.initiatorSpi(), after.initiatorSpi());
        assertEquals(before.responderSpi(), after.responderSpi());
        assertEquals(before.child().spiIn(), after.child().spiIn(), "the same Child SA");
        assertEquals(before.child().spiOut(), after.child().spiOut());

        // the new engine's liveness checks reach the gateway with the next message IDs and the old keys
        long deadline = System.nanoTime() + Duration.ofSeconds(4L * DPD_SECONDS + 5).toNanos();
        while (lastDpdAnswered(gw.log()) <= lastDpdBefore + 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(lastDpdAnswered(gw.log()) > lastDpdBefore + 1, "the gateway answered liveness checks after the update"
                + " (last answered before: " + lastDpdBefore + ")\n" + gw.log());

        // and the gateway's IKE SA rekey is answered by the new engine
        gw.swanctl("--rekey", "--ike", "rw");
        IkeSa rekeyed = awaitNewIkeSa(gw, before, Duration.ofSeconds(20));
        assertNotEquals(before.initiatorSpi(), rekeyed.initiatorSpi());
        assertPing(client, 3, runtime.exec("vpn:status office").output());
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("CONNECTED"), status);
        String events = runtime.execChecked("vpn:events office");
        assertFalse(events.contains("RECONNECTING"), events);
    }

    /** The message ID of the last liveness check strongSwan answered, -1 if none. */
    private static int lastDpdAnswered(String gatewayLog) {
        Matcher m = DPD_ANSWERED.matcher(gatewayLog);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private static IkeSa awaitNewIkeSa(StrongSwanGateway gw, IkeSa before, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var sas = gw.listSas();
            if (sas.size() == 1 && !sas.get(0).initiatorSpi().equals(before.initiatorSpi())
                    && sas.get(0).state().equals("ESTABLISHED")) {
                return sas.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no rekeyed IKE SA at the gateway: " + gw.listSas());
    }
}
