package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.single;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;
import org.mobilevpn.testsupport.TestPki;

/**
 * The gateway must prove who it is (issue 12, finding 2), on the runtime process against a strongSwan gateway
 * that holds a certificate of the profile's own CA but is not the gateway's: another client's (the usual way a
 * rogue gets one), or one whose extendedKeyUsage is only clientAuth. Such a gateway completes its side of
 * IKE_AUTH (its log shows its own signature) and the connection still never reaches CONNECTED, with and
 * without {@code remote_id} in the profile. Without {@code remote_id} the certificate must name the host of
 * {@code remote_addrs}; the gateway's own certificate, naming its address, connects so.
 */
@SystemTest(tag = "gwid", requires = {"java", "tun", "ping", "charon", "swanctl", "pki"})
class GatewayIdentityIT {
    private static final Duration START = Duration.ofSeconds(90);
    /** Each attempt is one handshake (well under a second idle); under load of other builds it takes longer. */
    private static final Duration AWAIT = Duration.ofSeconds(90);
    /** Attempts the runtime makes (the manager retries after 1 s, 2 s, 4 s) before the test is content. */
    private static final int ATTEMPTS = 3;
    private static final Pattern GATEWAY_SIGNED = Pattern.compile("authentication of '([^']*)' \\(myself\\) with [^\\n]* successful");
    private static final String OTHER_CLIENT = "other@vpn.test";
    /** The state CONNECTED in any output (not the CONNECTED in RECONNECTING: that has no "ED"; not DISCONNECTED). */
    private static final Pattern CONNECTED = Pattern.compile("(?<![A-Z])CONNECTED");

    @Test
    void anotherClientsCertificateWithoutRemoteIdNeverConnects(SystemTestContext ctx) throws IOException {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        // no extendedKeyUsage (strongSwan's pki issues none unless asked): only the identity check stands in the way
        TestPki.Credential other = pki.issue(OTHER_CLIENT, TestPki.KeyType.ECDSA_P256);
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, other).build()));
        RuntimeProcess runtime = certificateProfile(ctx, net, pki, "remote_id =");

        assertNeverConnects(runtime, gw, OTHER_CLIENT, "does not name " + TestNetwork.GATEWAY_IP
                + ", the host in remote_addrs, which it must without remote_id");
    }

    @Test
    void anotherClientsCertificateWithRemoteIdNeverConnects(SystemTestContext ctx) throws IOException {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        TestPki.Credential other = pki.issue(OTHER_CLIENT, TestPki.KeyType.ECDSA_P256);
        TestNetwork net = ctx.standardNetwork();
        // the rogue answers to the gateway's name (our IDr) and claims it as its IDr, signing with the certificate
        // it has: the other client's, which does not carry that name
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, other)
                .configure("rw", c -> c.localId(StrongSwanGateway.GATEWAY_ID)).build()));
        RuntimeProcess runtime = certificateProfile(ctx, net, pki);

        assertNeverConnects(runtime, gw, StrongSwanGateway.GATEWAY_ID, "gateway identity " + StrongSwanGateway.GATEWAY_ID
                + " is not in its certificate CN=" + OTHER_CLIENT);
    }

    @Test
    void aCertificateForClientsOnlyIsRefusedEvenWhenItNamesTheGateway(SystemTestContext ctx) throws IOException {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        TestPki.Credential clientOnly = pki.issue(StrongSwanGateway.GATEWAY_ID, List.of(TestNetwork.GATEWAY_IP),
                TestPki.KeyType.ECDSA_P256, "clientAuth");
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, clientOnly).build()));
        RuntimeProcess runtime = certificateProfile(ctx, net, pki);

        assertNeverConnects(runtime, gw, StrongSwanGateway.GATEWAY_ID, "is not for a server: its extendedKeyUsage");
    }

    @Test
    void theGatewaysCertificateNamingItsAddressConnectsWithoutRemoteId(SystemTestContext ctx) throws IOException {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        TestPki.Credential gateway = pki.issue(StrongSwanGateway.GATEWAY_ID, List.of(TestNetwork.GATEWAY_IP),
                TestPki.KeyType.ECDSA_P256, "serverAuth");
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, gateway).build()));
        RuntimeProcess runtime = certificateProfile(ctx, net, pki, "remote_id =");

        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\nruntime log:\n" + runtime.log());
        assertPing(net.client());
        assertEquals(StrongSwanGateway.CLIENT_ID, single(gw.listSas()).remoteId());
    }

    /**
     * The runtime with profile {@code office} authenticating with a client certificate of {@code pki}, which is
     * also the profile's only CA.
     */
    private static RuntimeProcess certificateProfile(SystemTestContext ctx, TestNetwork net, TestPki pki,
            String... overrides) throws IOException {
        TestPki.Credential client = pki.client();
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        Path certs = Files.createDirectories(runtime.home().resolve("certs"));
        Files.copy(client.certificate(), certs.resolve("client.pem"));
        Files.copy(client.privateKey(), certs.resolve("client.key.pem"));
        Files.setPosixFilePermissions(certs.resolve("client.key.pem"), PosixFilePermissions.fromString("rw-------"));
        Files.copy(pki.caCertificate(), certs.resolve("ca.pem"));
        String[] lines = new String[overrides.length + 5];
        System.arraycopy(new String[] {"psk =", "auth = pubkey", "cert = certs/client.pem", "key = certs/client.key.pem",
            "ca = certs/ca.pem"}, 0, lines, 0, 5);
        System.arraycopy(overrides, 0, lines, 5, overrides.length);
        writeProfile(runtime, "unused", lines);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        return runtime;
    }

    /**
     * Brings {@code office} up and lets the runtime try {@value #ATTEMPTS} times: each time the gateway completes
     * its side of IKE_AUTH (it signed as {@code signedAs}) and the runtime refuses it with a message
     * containing {@code refusal}; no state is ever CONNECTED.
     */
    private static void assertNeverConnects(RuntimeProcess runtime, StrongSwanGateway gw, String signedAs,
            String refusal) {
        RuntimeProcess.Reply up = runtime.exec("vpn:up office");
        assertFalse(up.ok(), up.output());
        assertTrue(up.output().contains("PEER_AUTH_FAILED") && up.output().contains(refusal), up.output()
                + "\nruntime log:\n" + runtime.log());
        long deadline = System.nanoTime() + AWAIT.toNanos();
        int attempts = 0;
        while (attempts < ATTEMPTS && System.nanoTime() < deadline) {
            String status = runtime.execChecked("vpn:status office");
            assertFalse(CONNECTED.matcher(status).find(), status);
            attempts = (int) GATEWAY_SIGNED.matcher(gw.log()).results().count();
            sleep(200);
        }
        assertTrue(attempts >= ATTEMPTS, "the gateway completed IKE_AUTH " + attempts + " times:\n" + gw.log());
        String events = runtime.execChecked("vpn:events office");
        assertFalse(CONNECTED.matcher(events).find(), events);
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("RECONNECTING") && status.contains(refusal), status);
        Matcher m = GATEWAY_SIGNED.matcher(gw.log());
        assertTrue(m.find());
        assertEquals(signedAs, m.group(1), "the identity the gateway authenticated as");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
