package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * A COOKIE (RFC 7296 §2.6) through the product's own path: the runtime process, its data path's shared
 * sockets and its engine, against strongSwan. strongSwan demands a cookie from an address that has
 * {@code cookie_threshold_ip} (default 3) half-open IKE SAs: three IKE_SA_INIT requests from another port of
 * the client's address ({@link HalfOpenIkeSas}) make them, then {@code vpn:up} must answer the COOKIE by
 * sending its IKE_SA_INIT again with the cookie first, and connect.
 */
@SystemTest(tag = "rtcookie", requires = {"java", "tun", "ping", "charon", "swanctl"})
class RuntimeCookieIT {
    private static final Duration START = Duration.ofSeconds(90);
    /** strongSwan 5.9's default cookie_threshold_ip. */
    private static final int HALF_OPEN_FOR_A_COOKIE = 3;

    @Test
    void aGatewayWithHalfOpenSasFromOurAddressDemandsACookieAndTheRuntimeConnectsWithIt(SystemTestContext ctx)
            throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = "cookie-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));

        // strongSwan keeps half-open SAs for half_open_timeout (30 s): vpn:up follows at once
        CommandResult flood = net.client().exec(Duration.ofSeconds(60),
                HalfOpenIkeSas.command(TestNetwork.GATEWAY_IP, HALF_OPEN_FOR_A_COOKIE).toArray(String[]::new));
        assertTrue(flood.stdout().contains("HALF-OPEN " + HALF_OPEN_FOR_A_COOKIE), flood.stdout() + flood.stderr());
        assertFalse(gw.log().contains("N(COOKIE)"), "no cookie yet");
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\nruntime log:\n" + runtime.log());

        String log = gw.log();
        assertTrue(log.contains("generating IKE_SA_INIT response 0 [ N(COOKIE) ]"), "the gateway demanded a cookie");
        assertTrue(log.matches("(?s).*parsed IKE_SA_INIT request 0 \\[ N\\(COOKIE\\) SA KE No .*"),
                "the runtime's IKE_SA_INIT came again with the gateway's cookie first");
        assertPing(net.client());
        List<IkeSa> established = gw.listSas().stream().filter(sa -> sa.state().equals("ESTABLISHED")).toList();
        assertEquals(1, established.size(), gw.listSas().toString());
        assertEquals(TestNetwork.CLIENT_IP, established.get(0).remoteHost());
        assertEquals(4500, established.get(0).remotePort(), "the runtime's own sockets, after the NAT-T switch");
    }
}
