package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.CommandResult;
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
        ping(client, 10, runtime);
        IkeSa before = single(gw.listSas());

        for (String bundle : List.of("org.mobilevpn.datapath", "org.mobilevpn.esp", "org.mobilevpn.filter")) {
            long sentBefore = single(gw.listSas()).child().packetsIn();

            runtime.redeploy(bundle, ctx.outputDir("builds"), UPDATE);
            runtime.awaitHealthy(UPDATE);
            runtime.awaitOutput("vpn:status office", "CONNECTED", UPDATE);
            ping(client, 3, runtime);

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

    private static void writeProfile(RuntimeProcess runtime, String secret) throws IOException {
        Path draft = Files.writeString(runtime.etc().resolve("office.draft"), String.join("\n",
                "name = office",
                "remote_addrs = " + TestNetwork.GATEWAY_IP,
                "local_id = " + StrongSwanGateway.CLIENT_ID,
                "remote_id = " + StrongSwanGateway.GATEWAY_ID,
                "psk = " + secret,
                "vips = 0.0.0.0",
                "remote_ts = " + TestNetwork.LAN_NET,
                "encap = true", // the gateway's kernel-libipsec always encapsulates
                ""));
        RuntimeProcess.replaceAtomically(draft, runtime.etc().resolve("org.mobilevpn.profile-office.cfg"));
    }

    private static void ping(Netns client, int count, RuntimeProcess runtime) {
        CommandResult ping = client.exec(Duration.ofSeconds(30), "ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "5",
                TestNetwork.LAN_HOST_IP);
        assertTrue(ping.stdout().contains(count + " received"), ping.stdout() + ping.stderr()
                + runtime.exec("vpn:status office").output() + runtime.exec("vpn:sas office").output());
    }

    private static IkeSa single(List<IkeSa> sas) {
        assertEquals(1, sas.size(), sas.toString());
        return sas.get(0);
    }
}
