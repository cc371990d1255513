package org.mobilevpn.launcher;

import java.util.List;

/** Turns the words given to {@code bin/mobilevpn} into the Gogo command line they stand for. */
final class GogoCommandLine {

    private GogoCommandLine() {
    }

    /** The Gogo command for the arguments, or null when they are not a command the launcher knows. */
    static String fromArguments(List<String> args) {
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (verb) {
            case "exec":
                return rest.isEmpty() ? null : String.join(" ", rest);
            case "status":
                return rest.size() <= 1 ? join("vpn:status", rest) : null;
            case "up":
            case "down":
                return rest.size() == 1 ? join("vpn:" + verb, rest) : null;
            default:
                return null;
        }
    }

    private static String join(String command, List<String> args) {
        StringBuilder line = new StringBuilder(command);
        for (String arg : args) {
            line.append(' ').append(quote(arg));
        }
        return line.toString();
    }

    /** Gogo treats quotes, braces, $ and ; specially; a name is passed as one literal word. */
    static String quote(String word) {
        return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
