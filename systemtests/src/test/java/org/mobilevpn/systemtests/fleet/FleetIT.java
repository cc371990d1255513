package org.mobilevpn.systemtests.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.fleet.FleetHarness.path;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mobilevpn.fleet.BundleImage;
import org.mobilevpn.fleet.Json;
import org.mobilevpn.fleet.Topics;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;
import org.mobilevpn.testsupport.TestPki;

/**
 * Fleet management end to end: three runtimes (real processes, each in its own namespace) managed through a
 * real Mosquitto (TLS with client certificates, the ACL of docs/fleet.md) by the operator CLI, against one
 * strongSwan gateway with certificate authentication. The tests build on each other in order: the group
 * policy brings the tunnels up, the later ones need them.
 */
@SystemTest(tag = "fleet", requires = {"java", "tun", "ping", "charon", "swanctl", "pki", "openssl", "mosquitto",
        "mosquitto_sub", "mosquitto_pub"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {
    /** Three runtimes start at once on two shared cores: generous, it is not a speed claim. */
    private static final Duration START = Duration.ofSeconds(180);
    /** From a push to three tunnels up and reported (handshakes, state debounce, CLI polling). */
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final List<String> DEVICES = List.of("gw-1", "gw-2", "gw-3");

    static TestNetwork net;
    static FleetHarness fleet;
    static StrongSwanGateway gateway;
    static final List<RuntimeProcess> runtimes = new ArrayList<>();
    static Path dist;
    static Path work;

    @BeforeAll
    static void fleetOfThree(SystemTestContext ctx) {
        net = ctx.register(TestNetwork.withClients(ctx.tag(), 3));
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        gateway = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, pki.gateway())
                .configure("rw", c -> c.remoteId("%any")).build()));
        work = ctx.outputDir("fleet");
        fleet = new FleetHarness(pki, net.gateway(), TestNetwork.GATEWAY_IP, work);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        DEVICES.forEach(d -> groups.put(d, List.of("office")));
        ctx.register(fleet.startBroker(groups));
        for (int i = 0; i < DEVICES.size(); i++) {
            runtimes.add(ctx.register(RuntimeProcess.start(net.clients().get(i), ctx.outputDir("runtime-" + DEVICES.get(i)))));
        }
        dist = runtimes.get(0).home();
        for (int i = 0; i < DEVICES.size(); i++) {
            runtimes.get(i).awaitHealthy(START);
            fleet.provision(runtimes.get(i), DEVICES.get(i), List.of("office"));
        }
        for (String d : DEVICES) {
            fleet.awaitState(dist, d, s -> Boolean.TRUE.equals(s.get("online")), START);
        }
    }

    /** The office profile as a group policy: certificate authentication, each device with its own certificate. */
    static String officePolicy(String remoteAddrs, String extra) {
        return "{\"profiles\": {\"office\": {\"remote_addrs\": \"" + remoteAddrs + "\", \"auth\": \"pubkey\", "
                + "\"cert\": \"etc/fleet/cert.pem\", \"key\": \"etc/fleet/key.pem\", \"ca\": \"etc/fleet/ca.pem\", "
                + "\"remote_id\": \"" + StrongSwanGateway.GATEWAY_ID + "\", \"vips\": \"0.0.0.0\", \"remote_ts\": \""
                + TestNetwork.LAN_NET + "\", \"encap\": true, \"autostart\": true" + extra + "}}}";
    }

    static CommandResult push(long revision, String document) {
        Path file = work.resolve("policy-" + revision + ".json");
        FleetHarness.write(file, document);
        CommandResult r = fleet.operator(dist, "push", "--group", "office", "--revision", String.valueOf(revision), file.toString());
        assertTrue(r.ok(), r.toString());
        return r;
    }

    static boolean connectedAt(Map<String, Object> state, long revision) {
        Object rev = state.get("revision");
        return rev instanceof Number n && n.longValue() == revision && "CONNECTED".equals(path(state, "connections", "0", "state"))
                && Boolean.TRUE.equals(state.get("online"));
    }

    static Set<String> childSpis() {
        return gateway.listSas().stream().map(sa -> sa.child().spiIn()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @Order(1)
    void aGroupPolicyPushedOnceBringsAllThreeTunnelsUp() {
        push(1, officePolicy(TestNetwork.GATEWAY_IP, ""));
        Set<String> vips = new TreeSet<>();
        for (int i = 0; i < DEVICES.size(); i++) {
            Map<String, Object> state = fleet.awaitState(dist, DEVICES.get(i), s -> connectedAt(s, 1), CONVERGE);
            String vip = (String) path(state, "connections", "0", "virtual_ip");
            assertTrue(vip.startsWith("198.18.0."), state.toString());
            vips.add(vip);
            assertEquals("office", path(state, "connections", "0", "name"));
            assertNull(state.get("rejected"));
            assertEquals(1, ((Number) path(state, "documents", Topics.groupPolicy("office"))).intValue());
            assertTrue(runtimes.get(i).execChecked("vpn:status office").contains("CONNECTED"));
            assertPing(net.clients().get(i));
        }
        assertEquals(3, vips.size(), "each device has its own virtual IP: " + vips);
        List<IkeSa> sas = gateway.listSas();
        assertEquals(3, sas.size(), sas.toString());
        assertEquals(Set.of("C=CH, O=mobilevpn test, CN=gw-1", "C=CH, O=mobilevpn test, CN=gw-2", "C=CH, O=mobilevpn test, CN=gw-3"),
                sas.stream().map(IkeSa::remoteId).collect(Collectors.toSet()), "each with its own certificate");
        System.out.println("operator's view after revision 1:\n" + fleet.operator(dist, "list").stdout());
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void anInvalidDocumentIsRejectedByEachWithTheKeyAndTheTunnelsStay() {
        Set<String> before = childSpis();
        push(2, officePolicy("300.1.1.1", ""));
        for (int i = 0; i < DEVICES.size(); i++) {
            Map<String, Object> state = fleet.awaitState(dist, DEVICES.get(i), s -> s.get("rejected") != null, CONVERGE);
            assertEquals(2, ((Number) path(state, "rejected", "revision")).intValue(), state.toString());
            List<Map<String, Object>> errors = (List<Map<String, Object>>) path(state, "rejected", "errors");
            assertEquals("profiles.office.remote_addrs", errors.get(0).get("key"), errors.toString());
            assertTrue(String.valueOf(errors.get(0).get("message")).contains("300.1.1.1"), errors.toString());
            assertTrue(connectedAt(state, 1), "still revision 1, still connected: " + state);
            assertPing(net.clients().get(i));
        }
        assertEquals(before, childSpis(), "the same Child SAs at the gateway: no tunnel was touched");
        System.out.println("operator's view after the invalid revision 2:\n" + fleet.operator(dist, "list").stdout());
    }

    @Test
    @Order(3)
    void aDeviceCannotReadOrWriteAnotherDevicesTopics() {
        CommandResult own = fleet.subscribeAs("gw-1", Topics.groupPolicy("office"), 3);
        assertTrue(own.stdout().contains(Topics.groupPolicy("office") + " {"), "control: its group's retained policy arrives: " + own);
        CommandResult ownState = fleet.subscribeAs("gw-1", Topics.state("gw-1"), 3);
        assertEquals("", ownState.stdout().strip(), "a device only writes its state: " + ownState);
        CommandResult other = fleet.subscribeAs("gw-1", Topics.ROOT + "/device/gw-2/#", 3);
        assertEquals("", other.stdout().strip(), "gw-1 read gw-2's topics: " + other);
        CommandResult everything = fleet.subscribeAs("gw-1", "#", 3);
        assertFalse(everything.stdout().contains("gw-2") || everything.stdout().contains("gw-3"), everything.stdout());

        // a device that tries to set another's desired policy, or to command it
        fleet.publishAs("gw-1", Topics.devicePolicy("gw-2"), "{\"revision\": 99, \"profiles\": {}}", true);
        fleet.publishAs("gw-1", Topics.command("gw-2"), "{\"command\": \"down\", \"name\": \"office\"}", false);
        FleetHarness.sleep(3000);
        CommandResult retained = fleet.subscribeAs(FleetHarness.OPERATOR, Topics.devicePolicy("gw-2"), 3);
        assertEquals("", retained.stdout().strip(), "the broker kept no policy from gw-1 for gw-2: " + retained);
        Map<String, Object> gw2 = fleet.state(dist, "gw-2");
        assertTrue(connectedAt(gw2, 1), "gw-2 neither took the policy nor the command: " + gw2);
        assertTrue(runtimes.get(1).execChecked("vpn:status office").contains("CONNECTED"));
    }

    @Test
    @Order(4)
    void aBundleWithAWrongChecksumIsRefusedAndOneThatFailsToStartIsRolledBack() throws IOException {
        RuntimeProcess gw1 = runtimes.get(0);
        Path original = shellJar(gw1);
        byte[] originalBytes = Files.readAllBytes(original);
        String shellId = gw1.bundleId("org.mobilevpn.shell");

        // wrong checksum, sent with mosquitto_pub as docs/fleet.md shows (MQTT 5 response topic and correlation data)
        byte[] jar = newBuild(originalBytes, null);
        Path request = work.resolve("deploy-wrong-sha.json");
        FleetHarness.write(request, Json.write(Map.of("command", "deploy", "sha256", BundleImage.sha256(originalBytes),
                "data", java.util.Base64.getEncoder().encodeToString(jar))));
        String answer = mosquittoRequest("gw-1", request);
        assertTrue(answer.contains("\"ok\":false") && answer.contains("sha256: the bundle's SHA-256 is " + BundleImage.sha256(jar)), answer);
        assertTrue(answer.contains("refused, nothing installed"), answer);
        assertEquals(BundleImage.sha256(originalBytes), BundleImage.sha256(Files.readAllBytes(original)), "deploy/ untouched");
        assertEquals(List.of(original.getFileName().toString()), jarsNamed(gw1, "org.mobilevpn.shell"));

        // a new build that cannot resolve: FileInstall cannot start it, the agent puts the old jar back
        Path broken = work.resolve("shell-broken.jar");
        Files.write(broken, newBuild(originalBytes, "org.mobilevpn.does.not.exist"));
        CommandResult r = fleet.operator(dist, "deploy", "gw-1", broken.toString(), "--timeout", "180s");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("did not come up within") && r.stdout().contains("org.mobilevpn.does.not.exist"), r.stdout());
        assertTrue(r.stdout().contains("rolled back to the previous jar"), r.stdout());
        assertEquals(BundleImage.sha256(originalBytes), BundleImage.sha256(Files.readAllBytes(original)), "the previous jar is back");
        gw1.awaitOutput("lb -s", "Active", Duration.ofSeconds(60));
        gw1.awaitOutput("vpn:health", "OK", Duration.ofSeconds(60));
        assertEquals(shellId, gw1.bundleId("org.mobilevpn.shell"), "the same bundle, updated back in place");
        assertTrue(gw1.execChecked("vpn:status office").contains("CONNECTED"), "the tunnel did not notice");

        // and a good new build is installed and reported
        Path good = work.resolve("shell-new.jar");
        Files.write(good, newBuild(originalBytes, null));
        r = fleet.operator(dist, "deploy", "gw-1", good.toString(), "--timeout", "180s");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("\"state\":\"ACTIVE\""), r.stdout());
        gw1.awaitOutput("($.context bundle " + shellId + ") getEntry " + RuntimeProcess.BUILD_MARKER, RuntimeProcess.BUILD_MARKER,
                Duration.ofSeconds(60));
        assertPing(net.clients().get(0));

        // by URL: the device fetches the jar itself (here the first build again, from a web server beside the broker)
        Path served = Files.createDirectories(work.resolve("served"));
        Files.write(served.resolve("shell.jar"), originalBytes);
        fleet.brokerNs.start("http-server", "python3", "-m", "http.server", "8088", "--bind", TestNetwork.GATEWAY_IP,
                "--directory", served.toString());
        String url = "http://" + TestNetwork.GATEWAY_IP + ":8088/shell.jar";
        CommandResult serving = fleet.brokerNs.exec(Duration.ofSeconds(60), "python3", "-c", "import time, urllib.request\n"
                + "for _ in range(100):\n    try:\n        urllib.request.urlopen('" + url + "', timeout=2); break\n"
                + "    except OSError:\n        time.sleep(0.3)\nelse:\n    raise SystemExit('not serving')");
        assertTrue(serving.ok(), "the web server did not come up: " + serving);
        Path byUrl = work.resolve("deploy-url.json");
        FleetHarness.write(byUrl, Json.write(Map.of("command", "deploy", "sha256", BundleImage.sha256(originalBytes),
                "url", url)));
        answer = mosquittoRequest("gw-1", byUrl);
        assertTrue(answer.contains("\"ok\":true") && answer.contains("\"state\":\"ACTIVE\""), answer);
        assertEquals(BundleImage.sha256(originalBytes), BundleImage.sha256(Files.readAllBytes(original)),
                "deploy/ holds the jar fetched from " + url);
        assertFalse(gw1.execChecked("($.context bundle " + shellId + ") getEntry " + RuntimeProcess.BUILD_MARKER)
                .contains(RuntimeProcess.BUILD_MARKER), "the running shell bundle is the first build again");
        assertEquals(shellId, gw1.bundleId("org.mobilevpn.shell"), "the same bundle, updated in place");
        assertPing(net.clients().get(0));
    }

    @Test
    @Order(5)
    void brokerAndDeviceRestartsConvergeToTheLatestRevision() {
        fleet.broker.stop();
        for (int i = 0; i < DEVICES.size(); i++) {
            assertPing(net.clients().get(i), 3, " (broker gone: the runtime goes on)");
        }
        fleet.broker.restart();
        push(3, officePolicy(TestNetwork.GATEWAY_IP, ", \"dpd_delay\": \"20s\""));
        for (String d : DEVICES) {
            fleet.awaitState(dist, d, s -> connectedAt(s, 3), CONVERGE);
        }

        RuntimeProcess gw3 = runtimes.get(2);
        assertEquals(0, gw3.stop(Duration.ofSeconds(60)));
        Map<String, Object> offline = fleet.awaitState(dist, "gw-3", s -> Boolean.FALSE.equals(s.get("online")), CONVERGE);
        assertEquals(3, ((Number) offline.get("revision")).intValue());
        push(4, officePolicy(TestNetwork.GATEWAY_IP, ", \"dpd_delay\": \"25s\""));
        fleet.awaitState(dist, "gw-1", s -> connectedAt(s, 4), CONVERGE);
        gw3.restart();
        fleet.awaitState(dist, "gw-3", s -> connectedAt(s, 4), START);
        assertPing(net.clients().get(2));

        push(2, officePolicy(TestNetwork.GATEWAY_IP, ", \"dpd_delay\": \"60s\"")); // an older revision comes late
        FleetHarness.sleep(5000);
        for (String d : DEVICES) {
            Map<String, Object> s = fleet.state(dist, d);
            assertTrue(connectedAt(s, 4), "revision 2 is older than the applied 4 and ignored: " + s);
        }
        assertTrue(runtimes.get(0).execChecked("vpn:configs office").contains("25s"), "dpd_delay of revision 4 stays");
    }

    /** Sends a command with mosquitto_pub (response topic, correlation data) and waits with mosquitto_sub for the answer. */
    static String mosquittoRequest(String device, Path request) {
        String responseTopic = Topics.responses(device) + "/mosquitto";
        String tls = "-h " + TestNetwork.GATEWAY_IP + " -p 8883 --cafile " + fleet.pki.rootCertificate() + " --cert "
                + fleet.operator.certificate() + " --key " + fleet.operator.privateKey() + " -V mqttv5";
        String script = "mosquitto_sub " + tls + " -i op-sub -t " + responseTopic + " -C 1 -W 120 & sub=$!; sleep 1; "
                + "mosquitto_pub " + tls + " -i op-pub -t " + Topics.command(device) + " -q 1 -D publish response-topic "
                + responseTopic + " -D publish correlation-data 42 -f " + request + " && wait $sub";
        CommandResult r = fleet.brokerNs.exec(Duration.ofMinutes(3), "sh", "-c", script);
        assertTrue(r.ok(), r.toString());
        return r.stdout();
    }

    static Path shellJar(RuntimeProcess runtime) throws IOException {
        try (Stream<Path> jars = Files.list(runtime.deploy())) {
            return jars.filter(p -> p.getFileName().toString().startsWith("org.mobilevpn.shell-")).findFirst().orElseThrow();
        }
    }

    static List<String> jarsNamed(RuntimeProcess runtime, String prefix) throws IOException {
        try (Stream<Path> jars = Files.list(runtime.deploy())) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    /** A distinguishable new build of a bundle; with {@code missingImport} one that cannot resolve. */
    static byte[] newBuild(byte[] jar, String missingImport) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
            Manifest mf = new Manifest(in.getManifest());
            if (missingImport != null) {
                String imports = mf.getMainAttributes().getValue("Import-Package");
                mf.getMainAttributes().putValue("Import-Package", imports + "," + missingImport);
            }
            try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry(RuntimeProcess.BUILD_MARKER));
                out.write(("a fleet-deployed build " + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
