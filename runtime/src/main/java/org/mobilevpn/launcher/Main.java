package org.mobilevpn.launcher;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bin/mobilevpn}: runs the framework, or, given a command, sends it to the
 * framework that already runs from the same directory.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "usage: mobilevpn [--daemon]        run the framework (Gogo console unless --daemon)",
            "       mobilevpn exec 'COMMAND'    run a Gogo command in the running framework",
            "       mobilevpn console           Gogo console of the running framework (Ctrl-D leaves)",
            "       mobilevpn status [NAME]     vpn:status of the running framework",
            "       mobilevpn up NAME | down NAME",
            "       mobilevpn credential        the Web Console login made at the first start (root only)");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("mobilevpn.home", ".")).toAbsolutePath().normalize();
        List<String> arguments = Arrays.asList(args);
        if (arguments.contains("-h") || arguments.contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        if (arguments.isEmpty() || arguments.equals(List.of("--daemon"))) {
            System.exit(new Launcher(home, !arguments.isEmpty()).run());
        }
        if (arguments.equals(List.of("console"))) {
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.exit(ControlConsole.run(ControlChannel.socketPath(home), stdin, System.out, System.err));
        }
        if (arguments.equals(List.of("credential"))) {
            try {
                System.out.println(WebConsoleCredential.describe(home));
                System.exit(0);
            } catch (java.nio.file.AccessDeniedException e) {
                System.err.println("mobilevpn: only root can read " + e.getFile());
                System.exit(1);
            }
        }
        String command;
        try {
            command = GogoCommandLine.fromArguments(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println("mobilevpn: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (command == null) {
            System.err.println(USAGE);
            System.exit(2);
        }
        System.exit(ControlClient.run(ControlChannel.socketPath(home), command, System.out, System.err));
    }
}
