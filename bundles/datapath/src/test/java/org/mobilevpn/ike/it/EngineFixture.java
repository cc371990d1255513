package org.mobilevpn.ike.it;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.datapath.DataPathEngine;
import org.mobilevpn.datapath.InNamespace;
import org.mobilevpn.esp.EspTransformFactoryComponent;
import org.mobilevpn.filter.SecurityPolicyDatabaseFactoryComponent;
import org.mobilevpn.ike.crypto.JcaAuthSignatures;
import org.mobilevpn.ike.crypto.OpenSslAuthSignatures;
import org.mobilevpn.ike.engine.EngineSettings;
import org.mobilevpn.ike.engine.ExecutorScheduler;
import org.mobilevpn.ike.engine.IkeEngineImpl;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.TestLogger;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Our engine as the client of a system test, put together as the runtime does it: the engine on its own
 * loop thread with the {@link ExecutorScheduler} (as the engine component), and every session's IKE
 * datagrams over the data path's shared sockets, 500 and 4500 in the client namespace
 * ({@link DataPathEngine#openIkeTransport}, routed to the session by its SPIs, as the data path component
 * opens them). The engine's log is a file in the test's output directory.
 */
final class EngineFixture implements AutoCloseable {
    static final Duration HANDSHAKE = Duration.ofSeconds(20);
    static final HexFormat HEX = HexFormat.of();
    /** The data path component's default IKE port (its NAT-T port is {@link UdpEncapsulation#NAT_T_PORT}). */
    private static final int IKE_PORT = 500;

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ike-engine-it");
        t.setDaemon(true);
        return t;
    });
    private final PrintWriter logFile;
    private final String namespace;
    /** The runtime's data path: its shared sockets carry every session's IKE datagrams. */
    private final DataPathEngine dataPath;
    /** AUTH signatures as the runtime's engine component makes them: by OpenSSL, the JDK for the rest. */
    private final OpenSslAuthSignatures openSsl = OpenSslAuthSignatures.load(new JcaAuthSignatures());
    final IkeEngineImpl engine;

    EngineFixture(TestNetwork net, Path outputDir) {
        this(net, outputDir, new SecureRandom());
    }

    /** With the engine's randomness given (e.g. to fix a nonce). */
    EngineFixture(TestNetwork net, Path outputDir, SecureRandom random) {
        this(net, outputDir, random, true);
    }

    /** @param debug whether the engine formats and writes its debug lines (the runtime's default level has them off) */
    EngineFixture(TestNetwork net, Path outputDir, boolean debug) {
        this(net, outputDir, new SecureRandom(), debug);
    }

    private EngineFixture(TestNetwork net, Path outputDir, SecureRandom random, boolean debug) {
        try {
            Files.createDirectories(outputDir);
            logFile = new PrintWriter(Files.newBufferedWriter(outputDir.resolve("engine.log")), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        namespace = net.client().name();
        dataPath = inNamespace(() -> new DataPathEngine(new EspTransformFactoryComponent(),
                new SecurityPolicyDatabaseFactoryComponent(), null, IKE_PORT, UdpEncapsulation.NAT_T_PORT));
        engine = new IkeEngineImpl(new ExecutorScheduler(loop), random, openSsl, TestLogger.writingTo(logFile, debug));
    }

    /** The engine-wide settings for the sessions started from now on (the runtime's come from PID org.mobilevpn.ike). */
    void settings(EngineSettings settings) {
        engine.settings(settings);
    }

    void log(String line) {
        logFile.println(LocalTime.now() + " T " + line);
    }

    /** The harness defaults: our identity, the gateway's, a virtual IP, the LAN, forced UDP encapsulation. */
    static IkeSessionConfig.Builder pskConfig(String psk) {
        try {
            return IkeSessionConfig.builder("it").localId(IkeIdentity.parse(StrongSwanGateway.CLIENT_ID))
                    .remoteId(IkeIdentity.parse(StrongSwanGateway.GATEWAY_ID)).psk(SecretBytes.copyOf(psk.getBytes()))
                    .vips(List.of(java.net.InetAddress.getByName("0.0.0.0")))
                    .remoteTs(List.of(TrafficSelector.parse(TestNetwork.LAN_NET))).encap(true)
                    .dpdDelay(java.time.Duration.ZERO);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A transport to the gateway over the data path's shared sockets, as a connection of the runtime gets it
     * (opened in the client namespace: the transport asks the kernel for its source address toward the gateway).
     */
    IkeTransport transport() {
        return inNamespace(() -> dataPath.openIkeTransport(new InetSocketAddress(TestNetwork.GATEWAY_IP, IKE_PORT)));
    }

    private <T> T inNamespace(java.util.concurrent.Callable<T> work) {
        try {
            return InNamespace.call(namespace, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("in " + namespace + ": " + e, e);
        }
    }

    IkeSession start(IkeSessionConfig config, RecordingListener listener) {
        return engine.start(config, transport(), listener);
    }

    static String hex(SecretBytes s) {
        return HEX.formatHex(s.toByteArray());
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static String spi(int spi) {
        return String.format("%08x", spi);
    }

    static String spi(long spi) {
        return String.format("%016x", spi);
    }

    @Override
    public void close() {
        engine.closeAll();
        engine.awaitAllClosed(Duration.ofSeconds(5)); // let DELETE exchanges finish on the loop
        loop.shutdown();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownNow();
        openSsl.close();
        dataPath.close();
        logFile.close();
    }
}
