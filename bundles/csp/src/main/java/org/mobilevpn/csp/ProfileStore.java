package org.mobilevpn.csp;

import java.util.List;
import java.util.Map;
import org.mobilevpn.api.profile.ProfileProblem;

/**
 * How this bundle's own components feed the registry: the per-configuration components hand over
 * their properties, the policy document watcher validates documents and reports their problems.
 * Registered as a service only so DS can wire the components together; its package is private, so no
 * other bundle can see, let alone call, it. Profiles enter the registry only through ConfigAdmin.
 */
interface ProfileStore {

    /** A configuration of factory PID org.mobilevpn.profile was created or updated. Never throws. */
    void configured(String pid, Map<String, ?> properties);

    /** The configuration is gone. Never throws. */
    void deleted(String pid);

    /**
     * Parses and validates without storing, with the same parser, credentials and proposal validator.
     *
     * @param keyPrefix prefix for the problem keys, e.g. {@code profiles.office.}
     */
    ParseResult check(Map<String, ?> properties, String alias, String keyPrefix);

    /** Replaces the problems reported for a policy document ({@code source}); empty clears them. */
    void documentProblems(String source, List<ProfileProblem> problems);
}
