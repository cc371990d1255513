package org.mobilevpn.ike.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.ike.it.RecordingListener.ChildUp;
import org.mobilevpn.ike.it.RecordingListener.IkeDeleted;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SwanctlConnection;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;
import org.mobilevpn.testsupport.TestPki;

/**
 * Handshake time, from "start" until the Child SA is up (virtual IP assigned), of our engine and of
 * strongSwan's own initiator (charon, commanded over an open vici socket), against the same strongSwan
 * gateway in one run: median of 20 after 200 warm-up handshakes per case (a long-running JVM has compiled
 * its hot code by then; strongSwan is native code either way). A measurement, not a test: it
 * only checks that every handshake succeeds, and it runs only with {@code -Dike.benchmark=true}. The
 * table goes to the test's output directory ({@code handshake.md}) and to standard output.
 */
@SystemTest(tag = "ikebench", requires = {"charon", "swanctl", "pki", "openssl"})
class HandshakeBenchmark {
    private static final String PSK = "bench-psk";
    private static final int WARMUP = Integer.getInteger("ike.benchmark.warmup", 200);
    private static final int RUNS = 20;

    record Case(String name, String ikeProposal, String espProposal, TestPki.KeyType certificates) {
    }

    private static final List<Case> CASES = Boolean.getBoolean("ike.benchmark.quick") ? List.of(
            new Case("PSK, aes256gcm16-prfsha384-x25519", "aes256gcm16-prfsha384-x25519", "aes256gcm16", null)) : List.of(
            new Case("PSK, aes128gcm16-prfsha256-ecp256", "aes128gcm16-prfsha256-ecp256", "aes128gcm16", null),
            new Case("PSK, aes256gcm16-prfsha384-x25519", "aes256gcm16-prfsha384-x25519", "aes256gcm16", null),
            new Case("PSK, aes256-sha256-modp2048", "aes256-sha256-modp2048", "aes256-sha256", null),
            new Case("ECDSA P-256 certificates", "aes256gcm16-prfsha384-x25519", "aes256gcm16", TestPki.KeyType.ECDSA_P256),
            new Case("RSA 3072 certificates", "aes256gcm16-prfsha384-x25519", "aes256gcm16", TestPki.KeyType.RSA_3072));

    @BeforeAll
    static void onlyWhenAsked() {
        Assumptions.assumeTrue(Boolean.getBoolean("ike.benchmark"), "handshake benchmark: run with -Dike.benchmark=true");
    }

    @Test
    void handshakeTimesSideBySideWithStrongSwan(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        StringBuilder table = new StringBuilder("| auth / IKE proposal | mobilevpn engine ms (median of " + RUNS
                + ") | strongSwan initiator ms (median of " + RUNS + ") |\n|---|---|---|\n");
        for (Case c : CASES) {
            TestPki pki = c.certificates() == null ? null
                    : TestPki.create(ctx.outputDir("pki-" + c.certificates()), c.certificates());
            TestPki.Credential client = pki == null ? null : pki.client(); // each call issues a new one
            SwanctlConf.Builder gwConf = pki == null ? SwanctlConf.gatewayPsk(PSK) : SwanctlConf.gatewayCert(pki, pki.gateway());
            try (StrongSwanGateway gw = StrongSwanGateway.start(net.gateway(),
                    gwConf.configure("rw", x -> x.ikeProposals(c.ikeProposal()).espProposals(c.espProposal())).build())) {
                double ours = median(ourHandshakes(ctx, net, c, pki, client));
                double theirs = median(strongSwanHandshakes(net, c, pki, client));
                table.append(String.format("| %s | %.1f | %.1f |%n", c.name(), ours, theirs));
            }
        }
        System.out.println(table);
        Path out = ctx.outputDir("bench").resolve("handshake.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

    private List<Double> ourHandshakes(SystemTestContext ctx, TestNetwork net, Case c, TestPki pki,
            TestPki.Credential client) {
        List<Double> times = new ArrayList<>();
        try (EngineFixture engine = new EngineFixture(net, ctx.outputDir("engine-" + c.certificates()))) {
            IkeSessionConfig.Builder b = EngineFixture.pskConfig(PSK).ikeProposals(List.of(c.ikeProposal()))
                    .espProposals(List.of(c.espProposal()));
            if (pki != null) {
                b.pubkey(List.of(PemFiles.certificate(client.certificate())),
                        PemFiles.pkcs8(pki.pkcs8(client), c.certificates() == TestPki.KeyType.RSA_3072 ? "RSA" : "EC"))
                        .caCertificates(List.of(PemFiles.certificate(pki.caCertificate())));
            }
            IkeSessionConfig config = b.build();
            for (int i = 0; i < WARMUP + RUNS; i++) {
                RecordingListener events = new RecordingListener();
                long start = System.nanoTime();
                engine.log("benchmark: start");
                IkeSession session = engine.start(config, events);
                events.next(ChildUp.class, EngineFixture.HANDSHAKE);
                long end = System.nanoTime();
                session.close();
                events.next(IkeDeleted.class, EngineFixture.HANDSHAKE);
                if (i >= WARMUP) {
                    times.add((end - start) / 1e6);
                }
            }
        }
        return times;
    }

    private List<Double> strongSwanHandshakes(TestNetwork net, Case c, TestPki pki, TestPki.Credential client)
            throws IOException {
        SwanctlConnection home = SwanctlConnection.client("home").ikeProposals(c.ikeProposal())
                .espProposals(c.espProposal()).encap(true);
        SwanctlConf.Builder conf = SwanctlConf.builder();
        if (pki == null) {
            conf.connection(home).psk(StrongSwanGateway.CLIENT_ID, StrongSwanGateway.GATEWAY_ID, PSK);
        } else {
            conf.connection(home.pubkey(client.certificate().getFileName().toString()))
                    .ca(pki.caCertificate()).credential(client);
        }
        List<Double> times = new ArrayList<>();
        try (StrongSwanGateway initiator = StrongSwanGateway.start(net.client(), conf.build());
                ViciClient vici = ViciClient.connect(initiator.dir())) {
            for (int i = 0; i < WARMUP + RUNS; i++) {
                long start = System.nanoTime();
                Map<String, String> r = vici.request("initiate", Map.of("child", "home", "timeout", "10000"));
                long end = System.nanoTime();
                assertEquals("yes", r.get("success"), r.toString());
                Map<String, String> t = vici.request("terminate", Map.of("ike", "home", "timeout", "10000"));
                assertEquals("yes", t.get("success"), t.toString());
                if (i >= WARMUP) {
                    times.add((end - start) / 1e6);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return times;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

}
