package org.mobilevpn.launcher;

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
            "       mobilevpn status [NAME]     vpn:status of the running framework",
            "       mobilevpn up NAME | down NAME");

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
        String command = GogoCommandLine.fromArguments(arguments);
        if (command == null) {
            System.err.println(USAGE);
            System.exit(2);
        }
        System.exit(ControlClient.run(ControlChannel.socketPath(home), command, System.out, System.err));
    }
}
