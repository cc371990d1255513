package org.mobilevpn.api.profile;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A profile cannot be built: every problem found, each naming its key. Unchecked, like the
 * {@link IllegalArgumentException} it extends, because it reports invalid input rather than a
 * failure of the environment.
 */
public final class ProfileValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<ProfileProblem> problems;

    /** @param problems at least one problem */
    public ProfileValidationException(List<ProfileProblem> problems) {
        super(problems.stream().map(ProfileProblem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a validation exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ProfileProblem> problems() {
        return problems;
    }
}
