package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
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
 * A NAT between client and gateway forgets its mapping mid-session ({@code conntrack -F} in the NAT
 * namespace, as a home router's reboot or a UDP timeout does). The gateway's ESP toward the old mapping is
 * then dropped at the NAT — and even creates a conntrack entry of its own, so the client's next packet gets
 * a <em>new</em> outside port. The client's liveness check (sent after {@code dpd_delay} of silence from the
 * gateway) is the next packet. MOBIKE is agreed (the default), so strongSwan does not follow the new port by
 * itself (RFC 7296 §2.23's implicit update is off under MOBIKE): the check carries NAT detection, the gateway's
 * answer shows the new mapping, and the client's UPDATE_SA_ADDRESSES moves the IKE and Child SAs there (the
 * engine's NatMappingCheck, RFC 4555 §3.8); the LAN host's traffic reaches the client again. Issue 5 bounds this
 * by two {@code dpd_delay}s.
 */
@SystemTest(tag = "polnat", requires = {"java", "tun", "ping", "charon", "swanctl", "conntrack"})
class NatMappingLossIT {
    private static final int DPD_DELAY_S = 3;
    private static final Pattern VIP = Pattern.compile("virtual IP\\s+(198\\.18\\.0\\.\\d+)");
    /** {@code ping -D}: {@code [1764153600.123456] 64 bytes from ...}. */
    private static final Pattern REPLY = Pattern.compile("\\[(\\d+)\\.(\\d{6})\\] \\d+ bytes from");

    @Test
    void afterTheNatForgetsItsMappingTheLanHostReachesTheClientAgainWithinTwoDpdDelays(SystemTestContext ctx)
            throws IOException {
        TestNetwork net = ctx.natNetwork();
        Netns nat = net.nat().orElseThrow();
        String secret = "nat-it-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        OfficeConnection.writeProfile(runtime, secret, "encap = false", "dpd_delay = " + DPD_DELAY_S + "s");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(60));
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.matches("(?s).*NAT\\s+detected, ESP in UDP.*"), status);
        Matcher vip = VIP.matcher(status);
        assertTrue(vip.find(), status);
        CommandResult first = net.lan().exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "3", vip.group(1));
        assertTrue(first.ok(), "the LAN host reaches the client before the flush: " + first.stdout());
        int portBefore = singleSa(gw).remotePort();

        long flushedAtMillis = System.currentTimeMillis();
        nat.execChecked("conntrack", "-F");
        // pings every 100 ms until the first answer, for at most 4 dpd_delays
        CommandResult ping = net.lan().exec(Duration.ofSeconds(4 * DPD_DELAY_S + 10), "ping", "-D", "-n", "-i", "0.1",
                "-c", "1", "-w", Integer.toString(4 * DPD_DELAY_S), vip.group(1));
        Matcher reply = REPLY.matcher(ping.stdout());
        assertTrue(reply.find(), "no answer within " + 4 * DPD_DELAY_S + " s:\n" + ping.stdout() + ping.stderr()
                + "\ngateway: " + gw.listSas() + "\nNAT: " + nat.exec("conntrack", "-L").stdout());
        long repliedAtMillis = Long.parseLong(reply.group(1)) * 1000 + Long.parseLong(reply.group(2)) / 1000;
        Duration recovery = Duration.ofMillis(repliedAtMillis - flushedAtMillis);
        IkeSa after = singleSa(gw);
        System.out.println("NAT mapping flushed: the LAN host reaches the client again after " + recovery.toMillis()
                + " ms (dpd_delay " + DPD_DELAY_S + " s); the gateway sees the client at port " + portBefore + " before, "
                + after.remotePort() + " after");
        assertTrue(recovery.compareTo(Duration.ofSeconds(2 * DPD_DELAY_S)) < 0, "recovered after " + recovery);
        assertEquals(TestNetwork.CLIENT_IP, after.remoteHost());
        String after2 = runtime.awaitOutput("vpn:status office", "liveness RTT", Duration.ofSeconds(4 * DPD_DELAY_S));
        assertTrue(after2.contains("CONNECTED (kept up)"), after2);
        assertTrue(after2.matches("(?s).*liveness RTT\\s+\\d+ ms.*"), "the answered check's round trip: " + after2);
        OfficeConnection.assertPing(net.client());
    }

    private static IkeSa singleSa(StrongSwanGateway gw) {
        return OfficeConnection.single(gw.listSas());
    }
}
