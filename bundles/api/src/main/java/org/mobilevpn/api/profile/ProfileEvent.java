package org.mobilevpn.api.profile;

import java.util.List;
import java.util.Objects;

/**
 * A change of the registry's profiles.
 *
 * @param kind     what happened
 * @param name     the connection name
 * @param profile  the valid profile now registered under the name: the new one for ADDED and UPDATED,
 *                 the previous valid one (still in use) or {@code null} for INVALID, {@code null} for
 *                 REMOVED
 * @param problems for INVALID: why the new configuration was rejected; otherwise empty
 */
public record ProfileEvent(Kind kind, String name, VpnProfile profile, List<ProfileProblem> problems) {

    /** EventAdmin topics are this prefix plus the kind, e.g. {@code org/mobilevpn/profile/INVALID}. */
    public static final String TOPIC_PREFIX = "org/mobilevpn/profile/";

    /** What happened to a profile. */
    public enum Kind {
        /** A new valid profile. */
        ADDED,
        /** A valid profile was replaced by a different valid version. */
        UPDATED,
        /** The profile's configuration was deleted. */
        REMOVED,
        /** A configuration was rejected; a previous valid version, if any, stays registered. */
        INVALID
    }

    /** Checks kind and name; copies the problems. */
    public ProfileEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        problems = List.copyOf(problems);
    }

    /** The EventAdmin topic of this event. */
    public String topic() {
        return TOPIC_PREFIX + kind;
    }
}
