package org.mobilevpn.launcher;

import java.util.List;
import java.util.regex.Pattern;

/** Turns the words given to {@code bin/mobilevpn} into the Gogo command line they stand for. */
final class GogoCommandLine {

    /**
     * What a connection name may be: the profile-name rule of the api ({@code VpnProfile.NAME}; the launcher
     * runs outside the framework and cannot load it, GogoCommandLineTest keeps the two equal).
     */
    static final Pattern CONNECTION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private GogoCommandLine() {
    }

    /**
     * The Gogo command for the arguments, or null when they are not a command the launcher knows.
     *
     * @throws IllegalArgumentException when a connection name breaks the profile-name rule; nothing is sent
     */
    static String fromArguments(List<String> args) {
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (verb) {
            case "exec":
                return rest.isEmpty() ? null : String.join(" ", rest);
            case "status":
                return rest.size() <= 1 ? withName("vpn:status", rest) : null;
            case "up":
            case "down":
                return rest.size() == 1 ? withName("vpn:" + verb, rest) : null;
            default:
                return null;
        }
    }

    /**
     * A connection name goes to Gogo as one quoted word. Gogo's single quotes have no escape, so a quote inside
     * the name would end the word and let the rest run as further commands ("x' | lb #"): only names that
     * follow the profile-name rule are passed at all, and those contain no character Gogo treats specially.
     */
    private static String withName(String command, List<String> name) {
        if (name.isEmpty()) {
            return command;
        }
        String n = name.get(0);
        if (!CONNECTION_NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("not a connection name: " + printable(n) + " (1 to 64 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit)");
        }
        return command + " '" + n + "'";
    }

    /** The name as it can be shown on a terminal: control characters escaped. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(s.length() > 80 ? "...\"" : "\"").toString();
    }
}
