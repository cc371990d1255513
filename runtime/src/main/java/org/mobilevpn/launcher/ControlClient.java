package org.mobilevpn.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sends one command over the {@link ControlChannel} and prints the answer. */
final class ControlClient {

    static final int NOT_RUNNING = 3;

    private ControlClient() {
    }

    /** Returns the exit status: 0 when the command succeeded, 1 when it failed, 3 when no runtime answers. */
    static int run(Path socket, String command, PrintStream out, PrintStream err) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                err.println("mobilevpn: no runtime answers on " + socket + " (is it running? are you root?)");
                return NOT_RUNNING;
            }
            channel.write(ByteBuffer.wrap(command.getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            InputStream in = Channels.newInputStream(channel);
            int status = in.read();
            String output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (status == ControlChannel.OK) {
                out.print(output);
                return 0;
            }
            err.print(output.isEmpty() ? "mobilevpn: the runtime closed the connection\n" : output);
            return 1;
        } catch (IOException e) {
            err.println("mobilevpn: " + e.getMessage());
            return 1;
        }
    }
}
