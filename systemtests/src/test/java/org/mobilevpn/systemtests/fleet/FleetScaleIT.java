package org.mobilevpn.systemtests.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mobilevpn.fleet.Json;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.MosquittoBroker;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestPki;

/**
 * The fleet simulator ({@code bin/mobilevpn-fleet simulate}) against one Mosquitto on loopback in a namespace,
 * with TLS, one client certificate per agent and the per-device ACL of docs/fleet.md: every agent applies one
 * group policy and reports it. The default run has {@value #DEFAULT_AGENTS} agents so that the path is checked in
 * every build; {@code -Dmvpn.fleet.agents=1000} is the long run whose figures are in docs/benchmarks.md.
 */
@SystemTest(tag = "fleetsim", requires = {"java", "pki", "openssl", "mosquitto"})
class FleetScaleIT {
    static final int DEFAULT_AGENTS = 20;

    @Test
    void everySimulatedAgentAppliesAndReportsOneGroupPolicy(SystemTestContext ctx) {
        int agents = Integer.getInteger("mvpn.fleet.agents", DEFAULT_AGENTS);
        Netns ns = ctx.netns("mq");
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        Path certs = ctx.outputDir("certs");
        BulkCertificates.issue(pki, certs, "sim-", agents);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (int i = 1; i <= agents; i++) {
            groups.put("sim-" + i, List.of("sim"));
        }
        TestPki.Credential operator = pki.issue(FleetHarness.OPERATOR, TestPki.KeyType.ECDSA_P256, "clientAuth");
        MosquittoBroker broker = ctx.register(MosquittoBroker.startTls(ns, ctx.outputDir("broker"), "127.0.0.1", pki,
                pki.issue("127.0.0.1", TestPki.KeyType.ECDSA_P256, "serverAuth"), FleetHarness.acl(groups)));
        long brokerIdleKib = broker.residentKib();
        Path dist = RuntimeProcess.builtDistribution();
        // generous bounds: 1,000 TLS handshakes and JVM warm-up on two shared cores; the figures are measured, not asserted
        NsProcess sim = ctx.register(ns.start("simulator", dist.resolve("bin/mobilevpn-fleet").toString(), "simulate",
                "--agents", String.valueOf(agents), "--broker", "ssl://127.0.0.1:" + MosquittoBroker.TLS_PORT,
                "--ca", pki.rootCertificate().toString(), "--certs", certs.toString(),
                "--operator-cert", operator.certificate().toString(), "--operator-key", pki.pkcs8(operator).toString(),
                "--timeout", "900"));
        sim.awaitOutput("agents connected in", Duration.ofMinutes(15));
        long brokerConnectedKib = broker.residentKib();
        String line = sim.awaitOutput("\"reported\"", Duration.ofMinutes(16));
        long brokerReportedKib = broker.residentKib();
        assertEquals(Optional.of(0), sim.waitFor(Duration.ofMinutes(2)), "the simulator stops its agents and exits: " + sim.stderr());
        Map<String, Object> result;
        try {
            result = new LinkedHashMap<>(Json.object(line.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (Json.JsonException e) {
            throw new AssertionError("no result line: " + line, e);
        }
        assertEquals(agents, ((Number) result.get("reported")).intValue(), "every agent reported the revision: " + result);
        result.put("broker_rss_idle_mib", mib(brokerIdleKib));
        result.put("broker_rss_connected_mib", mib(brokerConnectedKib));
        result.put("broker_rss_after_policy_mib", mib(brokerReportedKib));
        System.out.println("fleet simulation: " + Json.write(result));
    }

    static double mib(long kib) {
        return Math.round(kib / 102.4) / 10.0;
    }
}
