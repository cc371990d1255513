package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The NAT topology with a real masquerade, and identities with spaces through list-sas parsing. */
@SystemTest(tag = "tsnat", requires = {"charon", "swanctl", "pki", "nft", "ping"})
class NatAndIdentityIT {

    @Test
    void clientBehindNatIsSeenWithTheNatAddressAndTunnelsTraffic(SystemTestContext ctx) {
        TestNetwork net = ctx.natNetwork();
        assertEquals(TestNetwork.NATTED_CLIENT_IP, net.clientIp());
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk("nat").build()));
        StrongSwanGateway client = ctx.register(StrongSwanGateway.start(net.client(), SwanctlConf.builder()
                .connection(SwanctlConnection.client("home"))
                .psk(StrongSwanGateway.CLIENT_ID, StrongSwanGateway.GATEWAY_ID, "nat").build()));

        client.swanctl("--initiate", "--child", "home");
        CommandResult ping = net.client().exec(Duration.ofSeconds(15), "ping", "-c", "1", "-W", "3", TestNetwork.LAN_HOST_IP);
        assertTrue(ping.ok(), ping.stdout() + ping.stderr());

        IkeSa gwSa = gw.listSas().get(0);
        assertEquals(TestNetwork.CLIENT_IP, gwSa.remoteHost(), "the gateway sees the NAT's outside address");
        assertTrue(gwSa.natRemote());
        IkeSa clientSa = client.listSas().get(0);
        assertEquals(TestNetwork.NATTED_CLIENT_IP, clientSa.localHost());
        assertTrue(clientSa.natLocal(), "a real NAT is detected by the client (nat-local=yes)");
        // the gateway cannot reach the private address directly
        assertFalse(net.gateway().exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "1",
                TestNetwork.NATTED_CLIENT_IP).ok());
    }

    @Test
    void distinguishedNameIdentitiesSurviveTheRawListing(SystemTestContext ctx) throws Exception {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        TestPki.Credential gwCred = pki.gateway();
        TestPki.Credential clientCred = pki.client();
        String dn = "C=CH, O=mobilevpn test, CN=" + StrongSwanGateway.CLIENT_ID;
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayCert(pki, gwCred).configure("rw", c -> c.remoteId(dn)).build()));
        StrongSwanGateway client = ctx.register(StrongSwanGateway.start(net.client(), SwanctlConf.builder()
                .connection(SwanctlConnection.client("home").localId(dn)
                        .pubkey(clientCred.certificate().getFileName().toString()))
                .ca(pki.caCertificate()).credential(clientCred).build()));

        client.swanctl("--initiate", "--child", "home");

        String raw = gw.swanctl("--list-sas", "--raw").stdout();
        Files.writeString(ctx.outputDir("raw").resolve("list-sas-dn.raw.txt"), raw);
        List<IkeSa> sas = IkeSa.parseListSas(raw);
        assertEquals(1, sas.size(), raw);
        assertEquals(dn, sas.get(0).remoteId(), raw);
        assertEquals(StrongSwanGateway.GATEWAY_ID, sas.get(0).localId(), raw);
        assertEquals("ESTABLISHED", sas.get(0).state(), raw);
        assertEquals(List.of("198.18.0.1"), sas.get(0).remoteVips(), raw);
    }
}
