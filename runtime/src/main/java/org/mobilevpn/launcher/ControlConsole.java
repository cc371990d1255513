package org.mobilevpn.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * An interactive console for a runtime that runs as a daemon: each line read is one Gogo command sent
 * over the {@link ControlChannel}, its answer printed. The operator gets the Gogo console of a daemon
 * without attaching to its standard input; the end of input (Ctrl-D) or {@code exit} leaves it.
 */
final class ControlConsole {

    private static final String PROMPT = "g! ";

    private ControlConsole() {
    }

    /** Returns 0 when the input ended, 3 when the runtime went away meanwhile. */
    static int run(Path socket, BufferedReader in, PrintStream out, PrintStream err) throws IOException {
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                return 0;
            }
            String command = line.strip();
            if (command.equals("exit")) {
                return 0;
            }
            if (!command.isEmpty()
                    && ControlClient.run(socket, command, out, err) == ControlClient.NOT_RUNNING) {
                return ControlClient.NOT_RUNNING;
            }
        }
    }
}
