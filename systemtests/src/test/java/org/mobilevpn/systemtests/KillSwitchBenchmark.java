package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * What the kill switch's nftables rules cost the data path: iperf3 through the runtime's tunnel with
 * {@code kill_switch = false} and {@code true}, interleaved in one run against one gateway (each switch is a
 * profile update, so a new tunnel). Not part of {@code mvn verify}:
 * {@code CI=true mvn -B -o verify -pl systemtests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=KillSwitchBenchmark} ({@code -Dmvpn.bench.repeats=3 -Dmvpn.bench.seconds=10} are the defaults).
 */
@SystemTest(tag = "ksbench", requires = {"java", "tun", "charon", "swanctl", "iperf3", "nft"})
class KillSwitchBenchmark {

    @Test
    void throughputWithAndWithoutTheKillSwitch(SystemTestContext ctx) throws Exception {
        int repeats = Integer.getInteger("mvpn.bench.repeats", 3);
        int seconds = Integer.getInteger("mvpn.bench.seconds", 10);
        String loadBefore = RuntimeTunnelBenchmark.loadAverage();
        TestNetwork net = ctx.standardNetwork();
        String secret = "ksbench-" + System.nanoTime();
        ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret)
                .configure("rw", c -> c.espProposals("aes256gcm16")).build()));
        NsProcess server = ctx.register(net.lan().start("iperf3-server", "iperf3", "-s", "--forceflush"));
        server.awaitOutput("Server listening", Duration.ofSeconds(10));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            for (boolean killSwitch : new boolean[] {false, true}) {
                writeProfile(runtime, secret, "esp_proposals = aes256gcm16", "kill_switch = " + killSwitch);
                runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
                runtime.exec("vpn:up office");
                runtime.awaitOutput("vpn:status office", killSwitch ? "engaged" : "off (the tunnel", Duration.ofSeconds(60));
                runtime.awaitOutput("vpn:status", "CONNECTED", Duration.ofSeconds(60));
                (killSwitch ? on : off).add(RuntimeTunnelBenchmark.iperf(net, seconds));
            }
        }
        String result = String.join("\n",
                String.format("iperf3 aes256gcm16, %d s, kill_switch = false: median %.0f Mbit/s %s", seconds,
                        RuntimeTunnelBenchmark.medianD(off), RuntimeTunnelBenchmark.round(off)),
                String.format("iperf3 aes256gcm16, %d s, kill_switch = true:  median %.0f Mbit/s %s", seconds,
                        RuntimeTunnelBenchmark.medianD(on), RuntimeTunnelBenchmark.round(on)),
                "load average before: " + loadBefore + ", after: " + RuntimeTunnelBenchmark.loadAverage(), "");
        System.out.println(result);
        Files.writeString(ctx.outputDir("results").resolve("kill-switch.txt"), result);
        assertTrue(on.stream().allMatch(v -> v > 0) && off.stream().allMatch(v -> v > 0));
    }
}
