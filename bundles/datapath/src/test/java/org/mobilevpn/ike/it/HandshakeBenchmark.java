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
import org.mobilevpn.api.ike.IkeTransport;
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
 * its hot code by then; strongSwan is native code either way). The initiators take turns, one handshake
 * each, in both orders in turn, so the machine's load weighs on both alike. A measurement, not a test: it only
 * checks that every handshake succeeds, and it runs only with {@code -Dike.benchmark=true}. The table goes
 * to the test's output directory ({@code handshake.md}) and to standard output.
 *
 * <p>Our engine is measured the way the runtime uses it: over the data path's shared sockets on 500 and 4500
 * (open before the session starts, as in the runtime; each handshake opens its transport on them, as a
 * connection does), with the engine component's scheduler, AUTH signatures by OpenSSL as the engine component
 * chooses them, and logging at info level as in the runtime. charon, the other initiator in the same
 * namespace, takes random local ports instead.
 */
@SystemTest(tag = "ikebench", requires = {"charon", "swanctl", "pki", "openssl"})
class HandshakeBenchmark {
    private static final String PSK = "bench-psk";
    private static final int WARMUP = Integer.getInteger("ike.benchmark.warmup", 200);
    private static final int RUNS = 20;
    /** Both orders in turn: each follows the other equally often (a teardown may leave the gateway busy for
     * whoever comes next). 0 our engine, 1 strongSwan. */
    private static final int[][] ORDERS = {{0, 1}, {1, 0}};

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
        StringBuilder table = new StringBuilder("| auth / IKE proposal | mobilevpn engine ms | strongSwan initiator ms |\n"
                + "|---|---|---|\n");
        for (Case c : CASES) {
            TestPki pki = c.certificates() == null ? null
                    : TestPki.create(ctx.outputDir("pki-" + c.certificates()), c.certificates());
            TestPki.Credential client = pki == null ? null : pki.client(); // each call issues a new one
            SwanctlConf.Builder gwConf = pki == null ? SwanctlConf.gatewayPsk(PSK) : SwanctlConf.gatewayCert(pki, pki.gateway());
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            try (StrongSwanGateway gw = StrongSwanGateway.start(net.gateway(),
                    gwConf.configure("rw", x -> x.ikeProposals(c.ikeProposal()).espProposals(c.espProposal())).build());
                    EngineFixture engine = new EngineFixture(net, ctx.outputDir("engine-" + slug(c.name())), false);
                    StrongSwanGateway initiator = StrongSwanGateway.start(net.client(), strongSwanClient(c, pki, client),
                            "port = 0\nport_nat_t = 0"); // 500 and 4500 are our data path's
                    ViciClient vici = ViciClient.connect(initiator.dir())) {
                IkeSessionConfig config = ourConfig(c, pki, client);
                for (int i = 0; i < WARMUP + RUNS; i++) {
                    for (int who : ORDERS[i % ORDERS.length]) {
                        double ms = who == 0 ? ourHandshake(engine, config, engine.transport()) : strongSwanHandshake(vici);
                        if (i >= WARMUP) {
                            (who == 0 ? ours : theirs).add(ms);
                        }
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            table.append(String.format("| %s | %.1f | %.1f |%n", c.name(), median(ours), median(theirs)));
        }
        System.out.println(table);
        Path out = ctx.outputDir("bench").resolve("handshake.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

    private static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "-");
    }

    private static IkeSessionConfig ourConfig(Case c, TestPki pki, TestPki.Credential client) {
        IkeSessionConfig.Builder b = EngineFixture.pskConfig(PSK).ikeProposals(List.of(c.ikeProposal()))
                .espProposals(List.of(c.espProposal()));
        if (pki != null) {
            b.pubkey(List.of(PemFiles.certificate(client.certificate())),
                    PemFiles.pkcs8(pki.pkcs8(client), c.certificates() == TestPki.KeyType.RSA_3072 ? "RSA" : "EC"))
                    .caCertificates(List.of(PemFiles.certificate(pki.caCertificate())));
        }
        return b.build();
    }

    /** One handshake of our engine over {@code transport}, a session's view of the data path's open sockets. */
    private static double ourHandshake(EngineFixture engine, IkeSessionConfig config, IkeTransport transport) {
        RecordingListener events = new RecordingListener();
        engine.log("benchmark: start");
        long start = System.nanoTime();
        IkeSession session = engine.engine.start(config, transport, events);
        events.next(ChildUp.class, EngineFixture.HANDSHAKE);
        long end = System.nanoTime();
        engine.log("benchmark: child up after " + (end - start) / 1000 + " us");
        session.close();
        events.next(IkeDeleted.class, EngineFixture.HANDSHAKE);
        return (end - start) / 1e6;
    }

    private static SwanctlConf strongSwanClient(Case c, TestPki pki, TestPki.Credential client) {
        SwanctlConnection home = SwanctlConnection.client("home").ikeProposals(c.ikeProposal())
                .espProposals(c.espProposal()).encap(true);
        SwanctlConf.Builder conf = SwanctlConf.builder();
        if (pki == null) {
            conf.connection(home).psk(StrongSwanGateway.CLIENT_ID, StrongSwanGateway.GATEWAY_ID, PSK);
        } else {
            conf.connection(home.pubkey(client.certificate().getFileName().toString()))
                    .ca(pki.caCertificate()).credential(client);
        }
        return conf.build();
    }

    /** One handshake of charon as initiator: {@code initiate} over the open vici socket until its answer. */
    private static double strongSwanHandshake(ViciClient vici) throws IOException {
        long start = System.nanoTime();
        Map<String, String> r = vici.request("initiate", Map.of("child", "home", "timeout", "10000"));
        long end = System.nanoTime();
        assertEquals("yes", r.get("success"), r.toString());
        Map<String, String> t = vici.request("terminate", Map.of("ike", "home", "timeout", "10000"));
        assertEquals("yes", t.get("success"), t.toString());
        return (end - start) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

}
