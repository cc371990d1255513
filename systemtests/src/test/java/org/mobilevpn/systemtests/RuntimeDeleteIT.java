package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * DELETE of a Child SA alone (RFC 7296 §1.4.1) through the runtime's own path, against strongSwan: the
 * gateway deletes our only Child SA and keeps the IKE SA. The runtime takes the SAs out of its data path and
 * repairs the connection, so traffic flows again on a new Child SA. (The IKE SA deleted by the gateway, and our
 * DELETEs on vpn:down and SIGTERM, are in TunnelIT and ConnectionLifecycleIT.)
 */
@SystemTest(tag = "rtdelete", requires = {"java", "tun", "ping", "charon", "swanctl"})
class RuntimeDeleteIT {
    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void theOnlyChildSaDeletedByTheGatewayIsReplacedAndTrafficFlowsAgain(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "delete-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        String firstSpi = single(gw.listSas()).child().spiIn();

        long deleted = System.nanoTime();
        gw.swanctl("--terminate", "--child", "rw"); // INFORMATIONAL with DELETE for the ESP SA only; waits for our answer
        IkeSa sa = gw.awaitOneIkeSaWithOneChild(Duration.ofSeconds(60));
        assertNotEquals(firstSpi, sa.child().spiIn(), "a new Child SA");
        System.out.println("Child SA deleted by the gateway: a new one after "
                + Duration.ofNanos(System.nanoTime() - deleted).toMillis() + " ms");
        assertPing(net.client(), 3, "\nvpn:status:\n" + runtime.execChecked("vpn:status office"));
        assertTrue(runtime.execChecked("vpn:status office").contains("CONNECTED"));
        assertEquals(1, runtime.execChecked("vpn:sas office").lines().filter(l -> l.startsWith("office ")).count(),
                "the deleted Child SA is gone from our side too: " + runtime.execChecked("vpn:sas office"));
    }
}
