package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SwanctlConnection;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * The whole runtime as an operator runs it, measured against one strongSwan gateway (kernel-libipsec) in one
 * run: cold start ({@code bin/mobilevpn --daemon} of a fresh copy with an autostart profile in etc/ until
 * {@code vpn:status} says CONNECTED), the runtime's RSS with one tunnel up under iperf3 load, and iperf3
 * through the runtime vs through strongSwan's own client, interleaved. Not part of {@code mvn verify}:
 * {@code mvn -B -o verify -pl systemtests -Dit.test=RuntimeTunnelBenchmark}
 * ({@code -Dmvpn.bench.repeats=3 -Dmvpn.bench.seconds=10} are the defaults).
 */
@SystemTest(tag = "polbench", requires = {"java", "tun", "charon", "swanctl", "iperf3"})
class RuntimeTunnelBenchmark {
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");
    private static final String PROPOSAL = "aes256gcm16";
    private static final Pattern HANDSHAKE = Pattern.compile("handshake\\s+(\\d+ \\S+)");
    private final List<String> phases = new ArrayList<>();

    @Test
    void coldStartRssAndThroughputAgainstStrongSwansClient(SystemTestContext ctx) throws Exception {
        int repeats = Integer.getInteger("mvpn.bench.repeats", 3);
        int seconds = Integer.getInteger("mvpn.bench.seconds", 10);
        String loadBefore = loadAverage();
        TestNetwork net = ctx.standardNetwork();
        String secret = "rtbench-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret)
                .configure("rw", c -> c.espProposals(PROPOSAL)).build()));
        NsProcess server = ctx.register(net.lan().start("iperf3-server", "iperf3", "-s", "--forceflush"));
        server.awaitOutput("Server listening", Duration.ofSeconds(10));
        Map<String, String> etc = Map.of("org.mobilevpn.profile-office.cfg", String.join("\n",
                "name = office", "remote_addrs = " + TestNetwork.GATEWAY_IP, "local_id = " + StrongSwanGateway.CLIENT_ID,
                "remote_id = " + StrongSwanGateway.GATEWAY_ID, "psk = " + secret, "vips = 0.0.0.0",
                "remote_ts = " + TestNetwork.LAN_NET, "esp_proposals = " + PROPOSAL, "encap = true", "autostart = true", ""));

        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        RuntimeProcess runtime = null;
        for (int i = 0; i < repeats; i++) {
            if (runtime != null) {
                runtime.stop(Duration.ofSeconds(30));
                runtime.close();
            }
            long start = System.nanoTime();
            runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("cold" + i), etc));
            cold.add(untilConnected(runtime, start));
            runtime.stop(Duration.ofSeconds(30));
            start = System.nanoTime();
            runtime.restart();
            warm.add(untilConnected(runtime, start));
        }

        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        List<Long> rssIdle = new ArrayList<>();
        List<Long> rssLoaded = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            if (i > 0) {
                runtime.restart(); // the autostart profile comes up again
                untilConnected(runtime, System.nanoTime());
            }
            rssIdle.add(rssKib(runtime.pid()));
            AtomicLong peak = new AtomicLong();
            long pid = runtime.pid();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rssKib(pid), Math::max);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            try {
                ours.add(iperf(net, seconds));
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            rssLoaded.add(peak.get());
            // charon needs UDP 500/4500 in the client namespace, which the runtime's data path holds
            runtime.stop(Duration.ofSeconds(30));
            theirs.add(strongSwanClient(net, secret, seconds));
        }

        String report = String.format(String.join("%n",
                "cold start (fresh copy, empty cache) to CONNECTED: median %d ms %s",
                "restart (cache kept) to CONNECTED:                 median %d ms %s",
                "RSS, tunnel up, idle:                              median %d MiB %s KiB",
                "RSS, tunnel up, peak under iperf3 (250 ms samples): median %d MiB %s KiB",
                "iperf3 %s, %d s, through the runtime:             median %.0f Mbit/s %s",
                "iperf3 %s, %d s, through strongSwan's client:     median %.0f Mbit/s %s",
                "ratio of medians runtime/strongSwan: %.2f",
                "load average before: %s, after: %s",
                "start phases (cold, restart alternating, then the restarts between iperf runs):",
                "%s%n"),
                median(cold), cold, median(warm), warm, median(rssIdle) / 1024, rssIdle, median(rssLoaded) / 1024, rssLoaded,
                PROPOSAL, seconds, medianD(ours), round(ours), PROPOSAL, seconds, medianD(theirs), round(theirs),
                medianD(ours) / medianD(theirs), loadBefore, loadAverage(), String.join("\n", phases));
        Files.writeString(ctx.outputDir("results").resolve("runtime-tunnel.txt"), report);
        System.out.println(report);
    }

    /**
     * Polls {@code vpn:status office} every 50 ms until the connection is up; milliseconds since {@code start}.
     * Also notes when the command first answered (the console and the Policy Manager with the profile are up)
     * and the handshake time the status reports, in {@link #phases}.
     */
    private long untilConnected(RuntimeProcess runtime, long start) {
        long deadline = start + Duration.ofSeconds(120).toNanos();
        long answered = -1;
        while (System.nanoTime() < deadline) {
            RuntimeProcess.Reply r = runtime.exec("vpn:status office");
            long now = Duration.ofNanos(System.nanoTime() - start).toMillis();
            if (r.ok() && answered < 0) {
                answered = now;
            }
            if (r.ok() && r.output().contains("CONNECTED (kept up)")) {
                Matcher h = HANDSHAKE.matcher(r.output());
                phases.add("status answers after " + answered + " ms, CONNECTED after " + now + " ms, handshake "
                        + (h.find() ? h.group(1) : "?"));
                return now;
            }
            ConnectionLifecycleIT.sleep(50);
        }
        throw new AssertionError("not CONNECTED within 120 s:\n" + runtime.log());
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static double strongSwanClient(TestNetwork net, String secret, int seconds) {
        try (StrongSwanGateway cli = StrongSwanGateway.start(net.client(), SwanctlConf.builder()
                .connection(SwanctlConnection.client("home").espProposals(PROPOSAL))
                .psk(StrongSwanGateway.CLIENT_ID, StrongSwanGateway.GATEWAY_ID, secret).build())) {
            cli.swanctl("--initiate", "--child", "home");
            return iperf(net, seconds);
        }
    }

    static double iperf(TestNetwork net, int seconds) {
        CommandResult r = net.client().exec(Duration.ofSeconds(seconds + 30), "iperf3", "-c", TestNetwork.LAN_HOST_IP,
                "-t", Integer.toString(seconds), "-O", "2", "-J");
        Matcher m = RECEIVED.matcher(r.stdout());
        assertTrue(m.find(), "iperf3 output: " + r.stdout() + r.stderr());
        return Double.parseDouble(m.group(1)) / 1e6;
    }

    /** VmRSS of a process in KiB, 0 when it is gone. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static double medianD(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static String round(List<Double> v) {
        return v.stream().map(d -> String.format("%.0f", d)).toList().toString();
    }
}
