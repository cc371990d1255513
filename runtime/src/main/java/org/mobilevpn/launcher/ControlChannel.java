package org.mobilevpn.launcher;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

    private ControlChannel() {
    }

    static Path socketPath(Path home) {
        return home.resolve("data/run/control.sock");
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
