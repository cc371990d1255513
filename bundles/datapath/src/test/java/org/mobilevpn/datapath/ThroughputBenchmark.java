package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SwanctlConnection;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * iperf3 TCP client -> LAN host, through our data path on both ends (static SAs) and through
 * strongSwan's userspace ESP (kernel-libipsec, charon per namespace) on both ends, same
 * topology, same cipher, interleaved in one run. Opt-in (takes minutes):
 * {@code -Dmvpn.bench=true}, optionally {@code -Dmvpn.bench.seconds=10 -Dmvpn.bench.repeats=3}.
 * Writes a Markdown table to target/system-tests/dpbench/results.md.
 */
@SystemTest(tag = "dpbench", requires = {"tun", "charon", "swanctl", "iperf3"})
class ThroughputBenchmark {
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    record Cipher(String proposal, EncryptionAlgorithm enc, IntegrityAlgorithm integ) {
    }

    static final List<Cipher> CIPHERS = List.of(
            new Cipher("aes128gcm16", EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE),
            new Cipher("aes256gcm16", EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE),
            new Cipher("chacha20poly1305", EncryptionAlgorithm.CHACHA20_POLY1305, IntegrityAlgorithm.NONE),
            new Cipher("aes256-sha256", EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_256_128));

    @Test
    void oursVersusStrongSwanUserspaceEsp(SystemTestContext ctx) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("mvpn.bench"), "benchmark skipped: run with -Dmvpn.bench=true");
        int seconds = Integer.getInteger("mvpn.bench.seconds", 10);
        int repeats = Integer.getInteger("mvpn.bench.repeats", 3);
        TestNetwork net = ctx.standardNetwork();
        NsProcess server = ctx.register(net.lan().start("iperf3-server", "iperf3", "-s", "--forceflush"));
        server.awaitOutput("Server listening", Duration.ofSeconds(10));

        StringBuilder table = new StringBuilder("| cipher | ours Mbit/s (runs) | strongSwan Mbit/s (runs) | ratio of medians |\n"
                + "|---|---|---|---|\n");
        for (Cipher c : selected()) {
            // -Dmvpn.bench.aesgcm=jdk,tables,constant-time: our side once per AES-GCM implementation, interleaved
            List<String> variants = c.enc() == EncryptionAlgorithm.AES_GCM_16_128 || c.enc() == EncryptionAlgorithm.AES_GCM_16_256
                    ? aesGcmVariants() : List.of("");
            Map<String, List<Double>> ours = new LinkedHashMap<>();
            List<Double> theirs = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                for (String variant : variants) {
                    ours.computeIfAbsent(variant, v -> new ArrayList<>());
                }
                for (int k = 0; k < variants.size(); k++) { // a different one first in each repeat
                    String variant = variants.get((k + i) % variants.size());
                    ours.get(variant).add(ours(ctx, net, c, seconds, i, variant));
                }
                theirs.add(strongSwan(ctx, net, c, seconds, i));
            }
            double b = median(theirs);
            for (Map.Entry<String, List<Double>> e : ours.entrySet()) {
                double a = median(e.getValue());
                String name = e.getKey().isEmpty() ? c.proposal() : c.proposal() + " (" + e.getKey() + ")";
                table.append(String.format("| %s | %.0f %s | %.0f %s | %.2f |%n", name, a, round(e.getValue()), b,
                        round(theirs), a / b));
            }
        }
        Path out = ctx.outputDir("results").resolve("results.md");
        Files.writeString(out, table.toString());
        System.out.println(table);
    }

    /**
     * Against the strongSwan gateway: our client (IKE engine + data path, in this JVM) beside
     * strongSwan's own client, same gateway, same proposal, interleaved.
     */
    @Test
    void clientsAgainstTheStrongSwanGateway(SystemTestContext ctx) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("mvpn.bench"), "benchmark skipped: run with -Dmvpn.bench=true");
        int seconds = Integer.getInteger("mvpn.bench.seconds", 10);
        int repeats = Integer.getInteger("mvpn.bench.repeats", 3);
        TestNetwork net = ctx.standardNetwork();
        NsProcess server = ctx.register(net.lan().start("iperf3-server", "iperf3", "-s", "--forceflush"));
        server.awaitOutput("Server listening", Duration.ofSeconds(10));
        StringBuilder table = new StringBuilder(
                "| ESP proposal | our client Mbit/s (runs) | strongSwan client Mbit/s (runs) | ratio of medians |\n"
                        + "|---|---|---|---|\n");
        for (Cipher c : selected()) {
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                String secret = "gwbench-" + i + "-" + System.nanoTime();
                try (StrongSwanGateway gw = StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret)
                        .configure("rw", conn -> conn.espProposals(c.proposal())).build())) {
                    try (OurIkeClient client = OurIkeClient.connect(net, ctx.outputDir("gw-ours-" + c.proposal() + i),
                            c.proposal(), secret)) {
                        ours.add(iperf(net, seconds));
                    }
                }
                theirs.add(strongSwan(ctx, net, c, seconds, i));
            }
            double a = median(ours);
            double b = median(theirs);
            table.append(String.format("| %s | %.0f %s | %.0f %s | %.2f |%n", c.proposal(), a, round(ours), b, round(theirs),
                    a / b));
        }
        Files.writeString(ctx.outputDir("results").resolve("clients.md"), table.toString());
        System.out.println(table);
    }

    /** {@code -Dmvpn.bench.ciphers=aes128gcm16,...} narrows the list. */
    private static List<Cipher> selected() {
        String only = System.getProperty("mvpn.bench.ciphers", "");
        return CIPHERS.stream().filter(c -> only.isEmpty() || List.of(only.split(",")).contains(c.proposal())).toList();
    }

    /** {@code -Dmvpn.bench.aesgcm=jdk,tables,...}: the esp bundle's AES-GCM implementations to compare. */
    private static List<String> aesGcmVariants() {
        String list = System.getProperty("mvpn.bench.aesgcm", "");
        return list.isEmpty() ? List.of("") : List.of(list.split(","));
    }

    /**
     * The AES-GCM implementation, and with {@code -Dmvpn.bench.jfr=true} a JFR recording (profile settings) of
     * each data path JVM, for the allocation per packet (jdk.ThreadAllocationStatistics of the packet threads
     * against the packet counters in counters.txt).
     */
    private static List<String> jvmOptions(String aesGcm, Path jfr) {
        List<String> options = new ArrayList<>();
        if (!aesGcm.isEmpty()) {
            options.add("-Dmvpn.esp.aesgcm=" + aesGcm);
        }
        if (Boolean.getBoolean("mvpn.bench.jfr")) {
            options.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        return options;
    }

    private double ours(SystemTestContext ctx, TestNetwork net, Cipher c, int seconds, int run, String aesGcm)
            throws IOException {
        Path dir = ctx.outputDir("ours-" + c.proposal() + (aesGcm.isEmpty() ? "" : "-" + aesGcm) + "-" + run);
        StaticTunnelIT.StaticPair pair = StaticTunnelIT.StaticPair.write(dir, c.enc(), c.integ(), new SecureRandom());
        try (NsProcess gw = StaticTunnelIT.StaticPair.start(net.gateway(), "dp-gw", pair.gatewayFile, dir.resolve("gw"),
                jvmOptions(aesGcm, dir.resolve("gw.jfr")));
                NsProcess cli = StaticTunnelIT.StaticPair.start(net.client(), "dp-cli", pair.clientFile, dir.resolve("cli"),
                        jvmOptions(aesGcm, dir.resolve("cli.jfr")))) {
            gw.awaitOutput("READY", Duration.ofSeconds(30));
            cli.awaitOutput("READY", Duration.ofSeconds(30));
            return iperf(net, seconds);
        }
    }

    private double strongSwan(SystemTestContext ctx, TestNetwork net, Cipher c, int seconds, int run) {
        String secret = "bench-" + run + "-" + System.nanoTime();
        try (StrongSwanGateway gw = StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret)
                        .configure("rw", conn -> conn.espProposals(c.proposal())).build());
                StrongSwanGateway cli = StrongSwanGateway.start(net.client(), SwanctlConf.builder()
                        .connection(SwanctlConnection.client("home").espProposals(c.proposal()))
                        .psk(StrongSwanGateway.CLIENT_ID, StrongSwanGateway.GATEWAY_ID, secret).build())) {
            cli.swanctl("--initiate", "--child", "home");
            return iperf(net, seconds);
        }
    }

    private static double iperf(TestNetwork net, int seconds) {
        CommandResult r = net.client().exec(Duration.ofSeconds(seconds + 30), "iperf3", "-c", TestNetwork.LAN_HOST_IP,
                "-t", Integer.toString(seconds), "-O", "2", "-J");
        Matcher m = RECEIVED.matcher(r.stdout());
        assertTrue(m.find(), "iperf3 output: " + r.stdout() + r.stderr());
        return Double.parseDouble(m.group(1)) / 1e6;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static String round(List<Double> v) {
        List<String> s = new ArrayList<>();
        for (double d : v) {
            s.add(String.format("%.0f", d));
        }
        return "(" + String.join(", ", s) + ")";
    }
}
