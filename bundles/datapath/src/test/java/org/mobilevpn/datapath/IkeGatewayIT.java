package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * End to end against the real gateway: our IKE engine negotiates with strongSwan (kernel-libipsec)
 * over the data path's shared sockets (port 500, then 4500 with the non-ESP marker); the Child SA
 * goes into our data path, the virtual IP onto our TUN device; the LAN host answers ping and a
 * checksummed TCP transfer through the tunnel, for each ESP proposal.
 */
@SystemTest(tag = "dpike", requires = {"tun", "ping", "charon", "swanctl"})
class IkeGatewayIT {
    private static TestNetwork net;

    @BeforeAll
    static void network(SystemTestContext ctx) {
        net = ctx.standardNetwork();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16", "aes256gcm16", "chacha20poly1305", "aes256-sha256"})
    void trafficThroughTheStrongSwanGateway(String proposal, SystemTestContext ctx) throws Exception {
        String secret = "e2e-" + proposal + "-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayPsk(secret).configure("rw", c -> c.espProposals(proposal)).build()));
        Path dir = ctx.outputDir("ike-" + proposal);
        OurIkeClient client = ctx.register(OurIkeClient.connect(net, dir, proposal, secret));
        ChildSaInfo child = client.child;
        assertTrue(client.transport.isOnNatTraversalPort(), "IKE moved to 4500 (forced encapsulation)");
        assertFalse(child.virtualIps().isEmpty(), "the gateway assigned a virtual IP");
        InetAddress vip = child.virtualIps().get(0);
        assertTrue(vip.getHostAddress().startsWith("198.18.0."), vip.toString());
        assertTrue(net.client().ip("-o", "addr", "show", "dev", "mvpn0").stdout().contains(vip.getHostAddress() + "/32"),
                "the virtual IP is on our TUN device");

        CommandResult ping = net.client().exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "5",
                TestNetwork.LAN_HOST_IP);
        assertTrue(ping.stdout().contains("3 received"), ping.stdout() + ping.stderr());

        NsProcess sink = ctx.register(net.lan().start("sink-" + proposal,
                StaticTunnelIT.StaticPair.java(TcpTransfer.class, "sink", "5001").toArray(new String[0])));
        sink.awaitOutput("LISTENING", Duration.ofSeconds(30));
        CommandResult sent = net.client().exec(Duration.ofSeconds(300), StaticTunnelIT.StaticPair.java(TcpTransfer.class,
                "source", TestNetwork.LAN_HOST_IP, "5001", Long.toString(20L << 20), "11").toArray(new String[0]));
        String received = sink.awaitOutput("SINK \\d+ [0-9a-f]{64}", Duration.ofSeconds(60));
        assertEquals(sent.stdout().trim().replace("SOURCE", "SINK"), received.trim(), "checksum on arrival");

        var counters = client.dataPath.counters();
        assertEquals(0, counters.dropped(DropReason.DECRYPT_FAILED) + counters.dropped(DropReason.UNKNOWN_SPI),
                counters.toString());
        String sas = gw.swanctl("--list-sas", "--raw").stdout();
        assertTrue(sas.contains("INSTALLED"), sas);
    }
}
