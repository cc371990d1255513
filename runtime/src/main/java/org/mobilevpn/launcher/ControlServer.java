package org.mobilevpn.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Serves {@link ControlChannel} requests by running them as Gogo commands. */
final class ControlServer implements AutoCloseable {

    /** A command line longer than this is not a command but a mistake. */
    private static final int MAX_REQUEST = 64 * 1024;

    private final Path socket;
    private final GogoBridge gogo;
    private ServerSocketChannel server;
    private Thread acceptor;

    ControlServer(Path socket, GogoBridge gogo) {
        this.socket = socket;
        this.gogo = gogo;
    }

    void start() throws IOException {
        ControlChannel.prepareDirectory(socket);
        Files.deleteIfExists(socket); // left by a runtime that was killed; run() checked nobody answers
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::acceptLoop, "mobilevpn-control");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread handler = new Thread(() -> serve(client), "mobilevpn-control-request");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    System.err.println("mobilevpn: control channel: " + e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client; InputStream in = Channels.newInputStream(client);
             OutputStream out = Channels.newOutputStream(client)) {
            byte[] request = in.readNBytes(MAX_REQUEST + 1);
            GogoBridge.Result result = request.length > MAX_REQUEST
                    ? GogoBridge.Result.failed("command longer than " + MAX_REQUEST + " bytes")
                    : gogo.execute(new String(request, StandardCharsets.UTF_8).trim());
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            reply.write(result.ok() ? ControlChannel.OK : ControlChannel.FAILED);
            reply.write(result.output().getBytes(StandardCharsets.UTF_8));
            out.write(reply.toByteArray());
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
            Files.deleteIfExists(socket);
        }
    }
}
