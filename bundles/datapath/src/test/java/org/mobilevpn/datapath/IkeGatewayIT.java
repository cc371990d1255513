package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.datapath.TunnelConfig;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SplitTunnelPolicy;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VnicConfig;
import org.mobilevpn.ike.engine.ExecutorScheduler;
import org.mobilevpn.ike.engine.IkeEngineImpl;
import org.mobilevpn.ike.engine.IkeLog;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;
import org.mobilevpn.vnic.TunVirtualNicFactory;

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
        String ns = net.client().name();

        DataPathEngine dp = ctx.register(InNamespace.call(ns, () -> new DataPathEngine(
                new org.mobilevpn.esp.EspTransformFactoryComponent(),
                new org.mobilevpn.filter.SecurityPolicyDatabaseFactoryComponent(), null, 500, 4500)));
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        ctx.register(loop::shutdownNow);
        IkeEngineImpl engine = new IkeEngineImpl(new ExecutorScheduler(loop), new SecureRandom(), IkeLog.NONE);
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        IkeTransport transport = InNamespace.call(ns,
                () -> dp.openIkeTransport(new InetSocketAddress(TestNetwork.GATEWAY_IP, 500)));
        IkeSessionConfig config = IkeSessionConfig.builder("e2e")
                .localId(IkeIdentity.parse(StrongSwanGateway.CLIENT_ID))
                .remoteId(IkeIdentity.parse(StrongSwanGateway.GATEWAY_ID)).psk(secret.getBytes())
                .vips(List.of(InetAddress.getByName("0.0.0.0")))
                .remoteTs(List.of(org.mobilevpn.api.ike.TrafficSelector.ofCidr(TestNetwork.LAN_NET)))
                .espProposals(List.of(proposal)).encap(true).build();
        IkeSession session = engine.start(config, transport, new IkeSessionListener() {
            @Override
            public void childSaEstablished(ChildSaInfo childSa) {
                events.add(childSa);
            }

            @Override
            public void failed(FailureReason reason, String message) {
                events.add(reason + ": " + message);
            }
        });
        ctx.register(() -> {
            session.close();
            engine.awaitAllClosed(Duration.ofSeconds(5));
        });

        Object first = events.poll(30, TimeUnit.SECONDS);
        assertNotNull(first, "no Child SA within 30 s");
        assertTrue(first instanceof ChildSaInfo, "IKE failed: " + first);
        ChildSaInfo child = (ChildSaInfo) first;
        assertTrue(transport.isOnNatTraversalPort(), "IKE moved to 4500 (forced encapsulation)");
        assertFalse(child.virtualIps().isEmpty(), "the gateway assigned a virtual IP");
        InetAddress vip = child.virtualIps().get(0);
        assertTrue(vip.getHostAddress().startsWith("198.18.0."), vip.toString());

        VnicConfig nicConfig = VnicConfig.builder().name("mvpn0").address(IkeChildSaMapping.host(vip)).mtu(1400)
                .offload(true).build();
        for (var r : IkeChildSaMapping.routes(child.remoteTs())) {
            nicConfig = nicConfig.toBuilder().route(r).build();
        }
        VnicConfig finalConfig = nicConfig;
        VirtualNic nic = ctx.register(InNamespace.call(ns, () -> TunVirtualNicFactory.standalone(
                Path.of("/dev/net/tun"), dir.resolve("resolv.conf"), dir.resolve("vnic"), "mvpn").open(finalConfig)));
        SpdConfiguration spd = SpdConfiguration.remoteAccess(1, IkeChildSaMapping.selectors(child.localTs()),
                IkeChildSaMapping.selectors(child.remoteTs()), new SplitTunnelPolicy(List.of(), List.of(), true));
        DataPathTunnel tunnel = ctx.register(dp.openTunnel(
                new TunnelConfig(nic, child.remoteEndpoint(), spd, Duration.ofSeconds(20), EspSaListener.NONE)));
        try (EspSa in = IkeChildSaMapping.sa(child, 1, SaDirection.INBOUND);
                EspSa out = IkeChildSaMapping.sa(child, 1, SaDirection.OUTBOUND)) {
            tunnel.installSaPair(in, out);
        }
        child.close();

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

        var counters = dp.counters();
        assertEquals(0, counters.dropped(DropReason.DECRYPT_FAILED) + counters.dropped(DropReason.UNKNOWN_SPI),
                counters.toString());
        String sas = gw.swanctl("--list-sas", "--raw").stdout();
        assertTrue(sas.contains("INSTALLED"), sas);
    }
}
