package org.mobilevpn.api.profile;

import java.util.List;

/**
 * What applying (or withdrawing) a policy document did.
 *
 * @param applied  true when the document's changes are in ConfigAdmin (also when nothing had to change)
 * @param problems why nothing was applied, each naming the key inside the document
 *                 (e.g. {@code profiles.office.remote_addrs})
 * @param changes  one line per configuration change, e.g. {@code created office}
 */
public record PolicyDocumentOutcome(boolean applied, List<ProfileProblem> problems, List<String> changes) {

    /** Copies the lists. */
    public PolicyDocumentOutcome {
        problems = List.copyOf(problems);
        changes = List.copyOf(changes);
    }
}
