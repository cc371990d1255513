package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real MQTT 5 broker (Debian's {@code mosquitto}) in a {@link Netns}, with its own configuration file,
 * ACL file and persistence directory (retained messages survive {@link #restart()}, as on a real broker).
 *
 * <pre>{@code
 * MosquittoBroker broker = ctx.register(MosquittoBroker.startTls(net.gateway(), ctx.outputDir("broker"),
 *         TestNetwork.GATEWAY_IP, pki, pki.issue(TestNetwork.GATEWAY_IP, KeyType.ECDSA_P256, "serverAuth"), aclText));
 * }</pre>
 *
 * With TLS the client certificate is required and its CN becomes the user name the ACL's {@code %u} sees.
 */
public final class MosquittoBroker implements AutoCloseable {
    /** The MQTT-over-TLS port (RFC: IANA "secure-mqtt"). */
    public static final int TLS_PORT = 8883;
    /** The plain MQTT port. */
    public static final int PLAIN_PORT = 1883;

    private final Netns netns;
    private final Path dir;
    private NsProcess process;

    private MosquittoBroker(Netns netns, Path dir) {
        this.netns = netns;
        this.dir = dir;
    }

    /**
     * Starts a broker with one TLS listener on {@code address}:{@value #TLS_PORT} requiring a client
     * certificate from {@code pki}, user names from the certificates' CN and {@code acl} as ACL file.
     */
    public static MosquittoBroker startTls(Netns netns, Path dir, String address, TestPki pki, TestPki.Credential server,
            String acl) {
        String listener = "listener " + TLS_PORT + " " + address + "\n"
                + "cafile " + pki.rootCertificate() + "\n"
                + "certfile " + server.certificate() + "\n"
                + "keyfile " + server.privateKey() + "\n"
                + "require_certificate true\n"
                + "use_identity_as_username true\n";
        return start(netns, dir, listener, acl);
    }

    /**
     * Starts a broker with a plain listener on {@code address}:{@code port}, anonymous clients allowed and
     * the ACL's {@code %c} (client id) patterns in force; for tests of the plain-TCP path only.
     */
    public static MosquittoBroker startPlain(Netns netns, Path dir, String address, int port, String acl) {
        return start(netns, dir, "listener " + port + " " + address + "\nallow_anonymous true\n", acl);
    }

    private static MosquittoBroker start(Netns netns, Path dir, String listener, String acl) {
        try {
            // a new broker starts without retained messages: a directory left by an earlier run must not leak in
            deleteTree(dir.resolve("db"));
            Files.createDirectories(dir.resolve("db"));
            Files.writeString(dir.resolve("acl"), acl);
            Files.writeString(dir.resolve("mosquitto.conf"), "# written by the mobilevpn test harness\n"
                    + "per_listener_settings false\n"
                    + "user root\n"                              // stays root: reads the test's files
                    + "persistence true\n"
                    + "persistence_location " + dir.resolve("db") + "/\n"
                    + "log_dest stderr\n"                        // unbuffered: the harness waits for a line
                    + "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
                    + "connection_messages true\n"
                    + "max_connections -1\n"
                    // an operator subscribed to every device's state gets a burst per group push: mosquitto's
                    // default queue (1,000 QoS 1 messages per client) drops the rest
                    + "max_queued_messages 100000\n"
                    + "acl_file " + dir.resolve("acl") + "\n"
                    + listener);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MosquittoBroker broker = new MosquittoBroker(netns, dir);
        broker.startProcess();
        return broker;
    }

    private void startProcess() {
        // mosquitto keeps one descriptor per client: raise the limit for simulations with many clients
        process = NsProcess.start(netns, "mosquitto", Map.of(), List.of("sh", "-c",
                "ulimit -n $(ulimit -Hn); exec mosquitto -c " + dir.resolve("mosquitto.conf")));
        process.awaitOutput("mosquitto version .* running", Duration.ofSeconds(30));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Stops the broker (SIGTERM: it saves its retained messages) and starts it again with the same files. */
    public void restart() {
        stop();
        startProcess();
    }

    /** Stops the broker; {@link #restart()} brings it back. */
    public void stop() {
        process.stop("TERM", Duration.ofSeconds(10));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The broker's resident memory now, from /proc (kB). */
    public long residentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return -1;
    }

    /** What the broker logged so far. */
    public String log() {
        return process.stdout() + process.stderr();
    }

    /** The broker's directory (configuration, ACL, persistence). */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
