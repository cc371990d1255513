package org.mobilevpn.datapath;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.datapath.DataPathTunnel;
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
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VnicConfig;
import org.mobilevpn.ike.engine.ExecutorScheduler;
import org.mobilevpn.ike.engine.IkeEngineImpl;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.TestLogger;
import org.mobilevpn.testsupport.TestNetwork;
import org.mobilevpn.vnic.TunVirtualNicFactory;

/**
 * Our whole client in the test JVM, built in the client namespace: data path (sockets 500/4500),
 * IKE engine over its transport, and what the policy manager will do with the first Child SA
 * (virtual IP on a TUN device, routes, SPD, SAs into the data path).
 */
final class OurIkeClient implements AutoCloseable {
    final DataPathEngine dataPath;
    final IkeTransport transport;
    final ChildSaInfo child;
    private final ScheduledExecutorService loop;
    private final IkeEngineImpl engine;
    private final IkeSession session;
    private VirtualNic nic;
    private DataPathTunnel tunnel;

    private OurIkeClient(DataPathEngine dataPath, IkeTransport transport, ScheduledExecutorService loop,
            IkeEngineImpl engine, IkeSession session, ChildSaInfo child) {
        this.dataPath = dataPath;
        this.transport = transport;
        this.loop = loop;
        this.engine = engine;
        this.session = session;
        this.child = child;
    }

    static OurIkeClient connect(TestNetwork net, Path dir, String proposal, String secret) throws Exception {
        String ns = net.client().name();
        DataPathEngine dp = InNamespace.call(ns, () -> new DataPathEngine(new org.mobilevpn.esp.EspTransformFactoryComponent(),
                new org.mobilevpn.filter.SecurityPolicyDatabaseFactoryComponent(), null, 500, 4500));
        java.nio.file.Files.createDirectories(dir);
        java.io.PrintWriter log = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(dir.resolve("ike.log")), true);
        // The engine's loop: a task that throws would vanish in its Future; write it to the log.
        ScheduledExecutorService loop = new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                if (t == null && r instanceof java.util.concurrent.Future<?> && ((java.util.concurrent.Future<?>) r).isDone()) {
                    try {
                        ((java.util.concurrent.Future<?>) r).get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        e.getCause().printStackTrace(log);
                    } catch (java.util.concurrent.CancellationException | InterruptedException ignored) {
                        // cancelled timers are normal
                    }
                }
            }
        };
        IkeEngineImpl engine = new IkeEngineImpl(new ExecutorScheduler(loop), new SecureRandom(), TestLogger.writingTo(log, true));
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        IkeTransport transport;
        IkeSession session;
        try {
            transport = InNamespace.call(ns, () -> dp.openIkeTransport(new InetSocketAddress(TestNetwork.GATEWAY_IP, 500)));
            IkeSessionConfig config = IkeSessionConfig.builder("e2e")
                    .localId(IkeIdentity.parse(StrongSwanGateway.CLIENT_ID))
                    .remoteId(IkeIdentity.parse(StrongSwanGateway.GATEWAY_ID)).psk(SecretBytes.copyOf(secret.getBytes()))
                    .vips(List.of(InetAddress.getByName("0.0.0.0")))
                    .remoteTs(List.of(org.mobilevpn.api.ipsec.TrafficSelector.parse(TestNetwork.LAN_NET)))
                    .espProposals(List.of(proposal)).encap(true).dpdDelay(java.time.Duration.ZERO).build();
            session = engine.start(config, transport, new IkeSessionListener() {
                @Override
                public void childSaEstablished(ChildSaInfo childSa) {
                    events.add(childSa);
                }

                @Override
                public void failed(FailureReason reason, String message) {
                    events.add(reason + ": " + message);
                }
            });
        } catch (Exception e) {
            loop.shutdownNow();
            dp.close();
            throw e;
        }
        Object first = events.poll(30, TimeUnit.SECONDS);
        if (!(first instanceof ChildSaInfo)) {
            session.close();
            engine.awaitAllClosed(Duration.ofSeconds(5));
            loop.shutdownNow();
            dp.close();
            throw new AssertionError("no Child SA: " + first);
        }
        OurIkeClient c = new OurIkeClient(dp, transport, loop, engine, session, (ChildSaInfo) first);
        try {
            c.install(ns, dir);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void install(String ns, Path dir) throws Exception {
        VnicConfig.Builder b = VnicConfig.builder().name("mvpn0").address(IkeChildSaMapping.host(child.virtualIps().get(0)))
                .mtu(1400).offload(true);
        IkeChildSaMapping.routes(child.remoteTs()).forEach(b::route);
        VnicConfig config = b.build();
        nic = InNamespace.call(ns, () -> TunVirtualNicFactory.standalone(Path.of("/dev/net/tun"),
                dir.resolve("resolv.conf"), dir.resolve("vnic"), "mvpn", new TestLogger()).open(config));
        SpdConfiguration spd = SpdConfiguration.remoteAccess(1, child.localTs(), child.remoteTs(),
                new SplitTunnelPolicy(List.of(), List.of(), true));
        tunnel = dataPath.openTunnel(new TunnelConfig(nic, child.remoteEndpoint(), spd, Duration.ofSeconds(20),
                EspSaListener.NONE));
        try (EspSa in = IkeChildSaMapping.sa(child, 1, SaDirection.INBOUND);
                EspSa out = IkeChildSaMapping.sa(child, 1, SaDirection.OUTBOUND)) {
            tunnel.installSaPair(in, out);
        }
    }

    @Override
    public void close() {
        session.close();
        engine.awaitAllClosed(Duration.ofSeconds(5)); // DELETE goes out through the data path's socket
        loop.shutdownNow();
        if (tunnel != null) {
            tunnel.close();
        }
        if (nic != null) {
            nic.close();
        }
        dataPath.close();
        child.close();
    }
}
