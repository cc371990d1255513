package org.mobilevpn.api.profile;

import java.util.Objects;

/**
 * One reason a profile is not valid, naming the configuration key in swanctl.conf's words so an
 * operator knows which line to fix. Never carries a secret: messages quote values only for keys
 * that are not secret.
 *
 * @param profile the profile (connection) name, or {@code ""} when the name itself is unknown
 * @param key     the configuration key, e.g. {@code remote_addrs}; for a policy document the path of
 *                the key inside it, e.g. {@code profiles.office.remote_addrs}
 * @param message what is wrong, e.g. {@code '300.1.1.1' is not a host name or IP address}
 */
public record ProfileProblem(String profile, String key, String message) {

    /** Rejects nulls: a problem always names its key and says what is wrong. */
    public ProfileProblem {
        profile = profile == null ? "" : profile;
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** {@code office: remote_addrs: '300.1.1.1' is not ...}, or without the profile when unknown. */
    @Override
    public String toString() {
        return (profile.isEmpty() ? "" : profile + ": ") + key + ": " + message;
    }
}
