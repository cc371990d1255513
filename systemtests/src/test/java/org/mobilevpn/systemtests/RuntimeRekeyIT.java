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
 * Rekeying through the product's own path: the runtime process, its data path's shared sockets and its
 * real clock, against strongSwan. After an IKE SA rekey the connection stays the same one: its liveness
 * checks are answered on the new IKE SA for longer than twice dpd_delay and no new handshake happens.
 */
@SystemTest(tag = "rtrekey", requires = {"java", "tun", "ping", "charon", "swanctl"})
class RuntimeRekeyIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final int DPD_SECONDS = 3;

    @Test
    void anIkeSaTheGatewayRekeysKeepsTheConnection(SystemTestContext ctx) throws IOException, InterruptedException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "rekey-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dpd_delay = " + DPD_SECONDS + "s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        IkeSa before = single(gw.listSas());

        gw.swanctl("--rekey", "--ike", "rw");
        IkeSa after = awaitNewIkeSa(gw, before, Duration.ofSeconds(20));
        assertNotEquals(before.initiatorSpi(), after.initiatorSpi());

        Thread.sleep(Duration.ofSeconds(2L * DPD_SECONDS + 2).toMillis());
        assertPing(net.client());
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("CONNECTED"), status);
        assertTrue(!runtime.execChecked("vpn:events office").contains("PEER_GONE"), runtime.execChecked("vpn:events office"));
        assertEquals(after.uniqueId(), single(gw.listSas()).uniqueId(), "the same IKE SA at the gateway");
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
