package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlConsoleTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void eachLineIsOneCommandUntilExit() throws Exception {
        Path socket = dir.resolve("control.sock");
        List<String> received = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread runtime = new Thread(() -> answerTwice(server, received));
            runtime.start();

            int status = run(socket, "vpn:status demo\n\n  lb  \nexit\nvpn:never-sent\n");
            runtime.join(5000);

            assertEquals(0, status);
            assertEquals(List.of("vpn:status demo", "lb"), received, "blank lines are skipped, exit ends");
            String shown = out.toString(StandardCharsets.UTF_8);
            assertTrue(shown.contains("ran vpn:status demo") && shown.contains("ran lb"), shown);
        }
    }

    @Test
    void endOfInputLeavesTheConsole() throws Exception {
        assertEquals(0, run(dir.resolve("none.sock"), ""));
    }

    @Test
    void aRuntimeThatIsGoneEndsTheConsoleWithTheNotRunningStatus() throws Exception {
        assertEquals(ControlClient.NOT_RUNNING, run(dir.resolve("none.sock"), "lb\nlb\n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no runtime answers"), err.toString());
    }

    private int run(Path socket, String input) throws IOException {
        return ControlConsole.run(socket, new BufferedReader(new StringReader(input)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static void answerTwice(ServerSocketChannel server, List<String> received) {
        try {
            for (int i = 0; i < 2; i++) {
                try (SocketChannel client = server.accept()) {
                    String command = new String(Channels.newInputStream(client).readAllBytes(), StandardCharsets.UTF_8);
                    received.add(command);
                    ByteBuffer reply = ByteBuffer.allocate(256);
                    reply.put((byte) ControlChannel.OK).put(("ran " + command + "\n").getBytes(StandardCharsets.UTF_8)).flip();
                    client.write(reply);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
