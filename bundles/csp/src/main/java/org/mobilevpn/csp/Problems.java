package org.mobilevpn.csp;

import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.profile.ProfileProblem;

/**
 * Collects the problems of one configuration while it is parsed. The profile name is attached at the
 * end because the name itself is one of the values being checked.
 */
final class Problems {
    private final List<String[]> entries = new ArrayList<>();
    private final String keyPrefix;

    /** @param keyPrefix prepended to every key, e.g. {@code profiles.office.} inside a policy document */
    Problems(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    void add(String key, String message) {
        entries.add(new String[] {keyPrefix + key, message});
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean has(String key) {
        return entries.stream().anyMatch(e -> e[0].equals(keyPrefix + key));
    }

    List<ProfileProblem> toList(String profile) {
        List<ProfileProblem> out = new ArrayList<>(entries.size());
        for (String[] e : entries) {
            out.add(new ProfileProblem(profile, e[0], e[1]));
        }
        return out;
    }
}
