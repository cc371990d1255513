package org.mobilevpn.shell;

import java.util.regex.Pattern;

/** Which configuration values are secrets: the console shows them only as a mask. */
final class Secrets {

    static final String MASK = "********";
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(psk|password|passphrase|secret|private).*");

    private Secrets() {
    }

    static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** The value as the console may show it. */
    static Object shown(String key, Object value) {
        return isSecret(key) ? MASK : value;
    }
}
