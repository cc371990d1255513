package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TcpdumpCapture;
import org.mobilevpn.testsupport.TestNetwork;
import org.mobilevpn.testsupport.TestPki;
import org.mobilevpn.testsupport.Tshark;

/**
 * IKE fragmentation (RFC 7383) through the product's own path: the runtime process with a certificate
 * profile, its data path's shared sockets and its engine, against strongSwan. RSA 3072 chains through an
 * intermediate CA on each side (our profile's cert file holds our certificate and our intermediate, the
 * gateway sends its own) make both IKE_AUTH messages larger than the 1280-octet fragment size, so each side
 * must split its own and reassemble the other's; the capture shows IKE_AUTH only as SKF datagrams.
 */
@SystemTest(tag = "rtfrag", requires = {"java", "tun", "ping", "charon", "swanctl", "pki", "tcpdump", "tshark"})
class RuntimeFragmentationIT {
    private static final Duration START = Duration.ofSeconds(90);
    /** The fragment size both sides use by default (strongSwan's fragment_size, our engine's), IP included. */
    private static final int FRAGMENT_SIZE = 1280;

    @Test
    void certificateChainsTooBigForOneDatagramTravelInFragmentsBothWays(SystemTestContext ctx) throws IOException {
        TestPki root = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.RSA_3072);
        TestPki gatewayCa = root.intermediate("gateway CA");
        TestPki clientCa = root.intermediate("client CA");
        TestPki.Credential client = clientCa.client();
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayCert(gatewayCa, gatewayCa.gateway()).ca(root.rootCertificate()).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        // as an operator installs them: chain and CA in the runtime directory, the key readable by root only
        Path certs = Files.createDirectories(runtime.home().resolve("certs"));
        Files.writeString(certs.resolve("client-chain.pem"),
                Files.readString(client.certificate()) + Files.readString(clientCa.caCertificate()));
        Files.copy(client.privateKey(), certs.resolve("client.key.pem"));
        Files.setPosixFilePermissions(certs.resolve("client.key.pem"), PosixFilePermissions.fromString("rw-------"));
        Files.copy(root.rootCertificate(), certs.resolve("root-ca.pem"));
        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(net.client(), net.clientIfname(), "ike", "udp"));
        writeProfile(runtime, "unused", "psk =", "auth = pubkey", "cert = certs/client-chain.pem",
                "key = certs/client.key.pem", "ca = certs/root-ca.pem");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));

        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\nruntime log:\n" + runtime.log());
        assertPing(net.client());

        String log = gw.log();
        assertTrue(log.contains("using untrusted intermediate certificate \"C=CH, O=mobilevpn test, CN=mobilevpn test client CA\""),
                "our intermediate arrived from the profile's cert file and the gateway built our path through it");
        assertTrue(log.matches("(?s).*authentication of 'client@vpn.test' with RSA[^\\n]* successful.*"), "our signature");
        StrongSwanGateway.Fragmentation fragments = gw.fragmentation();
        assertTrue(fragments.reassembledFrom() >= 2, "our IKE_AUTH arrived in fragments: " + fragments);
        assertTrue(fragments.splitInto() >= 2, "the gateway fragmented its answer, which the runtime reassembled: " + fragments);
        assertEquals(StrongSwanGateway.CLIENT_ID, single(gw.listSas()).remoteId());

        // On the wire (tshark's own dissector): IKE_AUTH only as SKF fragments, none larger than the fragment size.
        Tshark.IkeAuthDatagrams auth = Tshark.ikeAuthDatagrams(capture.stop());
        assertEquals(Map.of(), auth.unfragmented(), "no unfragmented IKE_AUTH");
        for (String from : List.of(TestNetwork.CLIENT_IP, TestNetwork.GATEWAY_IP)) {
            List<Integer> sizes = auth.fragmentsFrom(from);
            assertTrue(sizes.size() >= 2, from + " sent " + auth);
            assertTrue(sizes.stream().allMatch(n -> n <= FRAGMENT_SIZE), from + " sent " + sizes);
        }
    }
}
