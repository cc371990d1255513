package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * A new build of the vnic bundle deployed under a running tunnel (issue 11: the connection read CONNECTED
 * for minutes while its TUN device was gone and nothing passed). Whatever the update does to the tunnel,
 * the connection reads CONNECTED only while its virtual NIC exists, and traffic flows again afterwards.
 */
@SystemTest(tag = "vnicupd", requires = {"java", "tun", "ping", "charon", "swanctl"})
class VnicUpdateIT {
    private static final Duration START = Duration.ofSeconds(90);
    /** The update itself takes about a second, a new tunnel about as long again; generous for a loaded machine. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(45);

    @Test
    void aVnicUpdateNeverLeavesTheConnectionConnectedWithoutItsNicAndTrafficFlowsAgain(SystemTestContext ctx)
            throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "vnic-update-it-" + System.nanoTime();
        ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dpd_delay = 3s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        assertPing(net.client());

        runtime.redeploy("org.mobilevpn.vnic", ctx.outputDir("builds"), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
        boolean flows = false;
        while (!flows && System.nanoTime() < deadline) {
            String status = runtime.execChecked("vpn:status office");
            CommandResult link = net.client().exec("ip", "link", "show", "mvpn0");
            if (status.contains("CONNECTED (kept up)")) {
                assertTrue(link.exitCode() == 0 || !runtime.execChecked("vpn:status office").contains("CONNECTED (kept up)"),
                        "CONNECTED without its virtual NIC:\n" + status + link.stderr());
                flows = net.client().exec(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "2", TestNetwork.LAN_HOST_IP)
                        .stdout().contains("1 received");
            }
        }
        String events = runtime.execChecked("vpn:events office");
        assertTrue(flows, "no traffic through the tunnel " + BACK_WITHIN.toSeconds() + " s after the vnic update:\n"
                + runtime.execChecked("vpn:status office") + events);
        assertPing(net.client(), 5, " after the vnic update");
        System.out.println("vpn:events office around a vnic update:\n" + events);
    }
}
