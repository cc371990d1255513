package org.mobilevpn.api.profile;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The valid profiles, by connection name, and the problems of configurations that are not valid.
 *
 * <p>When a configuration of a valid profile is changed into something invalid, the registry keeps
 * the previous valid version (so a running connection keeps running on it) and reports the problems
 * of the new one. Changes are announced to {@link ProfileListener} services and as EventAdmin events
 * under {@link ProfileEvent#TOPIC_PREFIX}.
 */
@ProviderType
public interface ProfileRegistry {

    /** The valid profiles, sorted by name. */
    List<VpnProfile> profiles();

    /** The valid profile of this name (the previous valid version if its latest update was invalid). */
    Optional<VpnProfile> profile(String name);

    /** Every current problem: invalid configurations and rejected policy documents. */
    List<ProfileProblem> problems();

    /** The current problems of the configuration(s) that name this profile. */
    List<ProfileProblem> problems(String name);
}
