package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The harness against itself: a charon client and a charon gateway on the standard topology. Shows
 * that the gateway recipe carries traffic, that list-sas and the key-log parser agree across two
 * independent peers, that tshark decrypts the capture with the parsed keys, and that the test PKI's
 * certificates authenticate.
 */
@SystemTest(tag = "tspeer", requires = {"charon", "swanctl", "pki", "tcpdump", "tshark", "ping"})
class StrongSwanPeerIT {

    private static final String PSK = "harness-psk";

    @Test
    void pskTunnelCarriesTrafficAndBothPeersLogTheSameKeys(SystemTestContext ctx) {
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK).build()));
        StrongSwanGateway client = ctx.register(StrongSwanGateway.start(net.client(), SwanctlConf.builder()
                .connection(SwanctlConnection.client("home"))
                .psk(StrongSwanGateway.CLIENT_ID, StrongSwanGateway.GATEWAY_ID, PSK).build()));
        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(net.gateway(), "wan0", "psk", "udp"));

        client.swanctl("--initiate", "--child", "home");
        CommandResult ping = net.client().exec(Duration.ofSeconds(15), "ping", "-c", "2", "-W", "3",
                TestNetwork.LAN_HOST_IP);
        assertTrue(ping.ok(), ping.stdout() + ping.stderr());
        Path pcap = capture.stop();

        IkeSa gwSa = single(gw.listSas());
        assertEquals("ESTABLISHED", gwSa.state());
        assertEquals(TestNetwork.CLIENT_IP, gwSa.remoteHost());
        assertEquals(List.of("198.18.0.1"), gwSa.remoteVips());
        assertTrue(gwSa.child().packetsIn() >= 2, gwSa.toString());
        IkeSa clientSa = single(client.listSas());
        assertEquals(gwSa.initiatorSpi(), clientSa.initiatorSpi());
        assertEquals(List.of("198.18.0.1"), clientSa.localVips());
        assertEquals(gwSa.child().spiIn(), clientSa.child().spiOut());

        CharonKeyLog.IkeKeys gwIke = gw.keyLog().ike(gwSa.uniqueId()).orElseThrow();
        CharonKeyLog.IkeKeys clientIke = client.keyLog().ike(clientSa.uniqueId()).orElseThrow();
        assertEquals(36, gwIke.skEi().length, "AES-GCM-256 key + salt");
        assertArrayEquals(gwIke.skEi(), clientIke.skEi());
        assertArrayEquals(gwIke.skEr(), clientIke.skEr());
        assertArrayEquals(gwIke.skD(), clientIke.skD());
        CharonKeyLog.ChildKeys gwChild = gw.keyLog().child(gwSa.child().spiIn()).orElseThrow();
        CharonKeyLog.ChildKeys clientChild = client.keyLog().child(clientSa.child().spiOut()).orElseThrow();
        assertTrue(clientChild.charonInitiator() && !gwChild.charonInitiator());
        assertArrayEquals(gwChild.inboundEncryptionKey(), clientChild.outboundEncryptionKey());
        assertArrayEquals(gwChild.outboundEncryptionKey(), clientChild.inboundEncryptionKey());

        List<String> esp = Tshark.decryptEsp(pcap, Tshark.EspSa.fromCharon(gwChild));
        assertTrue(esp.stream().anyMatch(l -> l.contains("198.18.0.1 → 203.0.113.2") && l.contains("Echo (ping) request")),
                String.join("\n", esp));
        assertTrue(esp.stream().anyMatch(l -> l.contains("203.0.113.2 → 198.18.0.1") && l.contains("Echo (ping) reply")),
                String.join("\n", esp));
        String ike = String.join("\n", Tshark.decryptIke(pcap, List.of(Tshark.IkeSaKeys.fromCharon(gwSa, gwIke))));
        assertTrue(ike.contains("Identification Data:client@vpn.test"), ike);

        gw.terminateIke("rw");
        client.awaitLog("received DELETE for IKE_SA home", Duration.ofSeconds(10));
        assertEquals(List.of(), gw.listSas());
    }

    @ParameterizedTest
    @EnumSource(TestPki.KeyType.class)
    void testPkiCertificatesAuthenticateBothWays(TestPki.KeyType type, SystemTestContext ctx) {
        TestPki pki = TestPki.create(ctx.outputDir("pki-" + type), type);
        TestPki.Credential gwCred = pki.gateway();
        TestPki.Credential clientCred = pki.client();
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayCert(pki, gwCred).build()));
        StrongSwanGateway client = ctx.register(StrongSwanGateway.start(net.client(), SwanctlConf.builder()
                .connection(SwanctlConnection.client("home").pubkey(clientCred.certificate().getFileName().toString()))
                .ca(pki.caCertificate()).credential(clientCred).build()));

        client.swanctl("--initiate", "--child", "home");

        IkeSa sa = single(gw.listSas());
        assertEquals("ESTABLISHED", sa.state());
        assertEquals(StrongSwanGateway.CLIENT_ID, sa.remoteId());
        String log = gw.log();
        assertTrue(log.contains("authentication of 'client@vpn.test' with " + (type.pkiType().equals("rsa")
                ? "RSA" : "ECDSA")), log.substring(Math.max(0, log.length() - 4000)));
    }

    private static IkeSa single(List<IkeSa> sas) {
        assertEquals(1, sas.size(), sas.toString());
        return sas.get(0);
    }
}
