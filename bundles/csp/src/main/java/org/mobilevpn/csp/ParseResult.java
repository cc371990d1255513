package org.mobilevpn.csp;

import java.util.List;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.VpnProfile;

/**
 * What one configuration parsed into: a valid profile, or the problems that keep it from being one;
 * plus warnings that do not make it invalid (an open key file, an expired certificate).
 *
 * @param name     the connection name the configuration asked for, as far as it could be read ("" if not)
 * @param profile  the profile, or {@code null} when there are problems
 * @param problems empty exactly when {@code profile} is present
 * @param warnings free of secrets, each starting with its key
 */
record ParseResult(String name, VpnProfile profile, List<ProfileProblem> problems, List<String> warnings) {

    ParseResult {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    boolean valid() {
        return profile != null;
    }

    /** This result with one more problem: the profile is no longer valid (e.g. a duplicate name). */
    ParseResult rejected(ProfileProblem problem) {
        List<ProfileProblem> more = new java.util.ArrayList<>(problems);
        more.add(problem);
        return new ParseResult(name, null, more, warnings);
    }
}
