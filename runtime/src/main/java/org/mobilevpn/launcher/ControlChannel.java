package org.mobilevpn.launcher;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The local channel between {@code bin/mobilevpn COMMAND} and the running framework: a Unix domain
 * socket in data/run/, a directory only its owner can enter, so nothing listens on a network
 * address and only the user who runs the runtime (root on a gateway) can send commands.
 *
 * <p>Protocol: the client writes one Gogo command line in UTF-8 and shuts down its output; the
 * server answers with one status byte ({@link #OK} or {@link #FAILED}) followed by the command's
 * output, then closes.
 */
final class ControlChannel {

    static final byte OK = '0';
    static final byte FAILED = '1';
    /** sun_path of struct sockaddr_un is 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH = 108;

    private ControlChannel() {
    }

    /**
     * data/run/control.sock of the runtime; for a runtime installed so deep that this path does not
     * fit a socket address (sun_path: 108 bytes), a directory under /run named for the runtime.
     */
    static Path socketPath(Path home) {
        Path inHome = home.resolve("data/run/control.sock");
        if (inHome.toString().getBytes(StandardCharsets.UTF_8).length < MAX_SOCKET_PATH) {
            return inHome;
        }
        return Path.of("/run/mobilevpn", shortName(home), "control.sock");
    }

    private static String shortName(Path home) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(home.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Creates data/run/ with owner-only access, so the socket inside is private from birth. */
    static void prepareDirectory(Path socket) throws IOException {
        Path dir = socket.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** True when a runtime answers on the socket (a stale file from a crash does not count). */
    static boolean isServing(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }
}
