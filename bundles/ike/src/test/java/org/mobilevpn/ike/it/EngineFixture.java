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
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.SecretBytes;
import org.mobilevpn.api.ike.TrafficSelector;
import org.mobilevpn.ike.crypto.JcaAuthSignatures;
import org.mobilevpn.ike.crypto.OpenSslAuthSignatures;
import org.mobilevpn.ike.engine.ExecutorScheduler;
import org.mobilevpn.ike.engine.IkeEngineImpl;
import org.mobilevpn.ike.transport.UdpTransport;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.TestLogger;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Our engine as the client of a system test: its loop thread and log (a file in the test's output
 * directory), and sessions whose UDP sockets live in the client namespace.
 */
final class EngineFixture implements AutoCloseable {
    static final Duration HANDSHAKE = Duration.ofSeconds(20);
    static final HexFormat HEX = HexFormat.of();

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ike-engine-it");
        t.setDaemon(true);
        return t;
    });
    private final PrintWriter logFile;
    private final NamespaceChannels channels;
    /** AUTH signatures as the runtime's engine component makes them: by OpenSSL, the JDK for the rest. */
    private final OpenSslAuthSignatures openSsl = OpenSslAuthSignatures.load(new JcaAuthSignatures());
    final IkeEngineImpl engine;

    EngineFixture(TestNetwork net, Path outputDir) {
        this(net, outputDir, new SecureRandom());
    }

    /** With the engine's randomness given (e.g. to fix a nonce). */
    EngineFixture(TestNetwork net, Path outputDir, SecureRandom random) {
        this(net, outputDir, random, true, true);
    }

    /**
     * @param debug whether the engine formats and writes its debug lines (the runtime's default level has them off)
     * @param openSslSignatures whether AUTH signatures are OpenSSL's, as in the runtime, or all the JDK's
     */
    EngineFixture(TestNetwork net, Path outputDir, boolean debug, boolean openSslSignatures) {
        this(net, outputDir, new SecureRandom(), debug, openSslSignatures);
    }

    private EngineFixture(TestNetwork net, Path outputDir, SecureRandom random, boolean debug, boolean openSslSignatures) {
        try {
            Files.createDirectories(outputDir);
            logFile = new PrintWriter(Files.newBufferedWriter(outputDir.resolve("engine.log")), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channels = new NamespaceChannels(net.client().name());
        engine = new IkeEngineImpl(new ExecutorScheduler(loop), random,
                openSslSignatures ? openSsl : new JcaAuthSignatures(), TestLogger.writingTo(logFile, debug));
    }

    void log(String line) {
        logFile.println(LocalTime.now() + " T " + line);
    }

    /** The harness defaults: our identity, the gateway's, a virtual IP, the LAN, forced UDP encapsulation. */
    static IkeSessionConfig.Builder pskConfig(String psk) {
        try {
            return IkeSessionConfig.builder("it").localId(IkeIdentity.parse(StrongSwanGateway.CLIENT_ID))
                    .remoteId(IkeIdentity.parse(StrongSwanGateway.GATEWAY_ID)).psk(psk.getBytes())
                    .vips(List.of(java.net.InetAddress.getByName("0.0.0.0")))
                    .remoteTs(List.of(TrafficSelector.ofCidr(TestNetwork.LAN_NET))).encap(true);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A transport from the client namespace to the gateway, our ports 500/4500. */
    UdpTransport transport() {
        return transport(UdpTransport.IKE_PORT, UdpTransport.NAT_T_PORT);
    }

    /** A transport from the client namespace with our own ports (0: any free port). */
    UdpTransport transport(int ikePort, int natTPort) {
        return new UdpTransport(new InetSocketAddress(TestNetwork.GATEWAY_IP, UdpTransport.IKE_PORT), ikePort, natTPort,
                channels);
    }

    /**
     * A transport from the client namespace to the gateway with its sockets already open, as the data path's
     * shared sockets are when a connection starts.
     */
    UdpTransport boundTransport(int localIkePort, int localNatTPort) throws IOException {
        UdpTransport t = transport(localIkePort, localNatTPort);
        t.bind();
        return t;
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
        channels.close();
        logFile.close();
    }
}
