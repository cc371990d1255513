package org.mobilevpn.csp;

import java.util.List;
import java.util.stream.Collectors;
import org.mobilevpn.api.profile.PolicyDocumentOutcome;
import org.mobilevpn.api.profile.PolicyDocuments;
import org.mobilevpn.api.profile.ProfileProblem;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The policy-document path ({@link PolicyDocumentApplier}) for other bundles, e.g. the fleet agent
 * applying documents that arrive over MQTT. A rejected document's problems are listed with the
 * registry's problems under its source, as for the file document, until a valid version replaces it.
 * Documents are applied one at a time.
 */
@Component(service = PolicyDocuments.class)
public final class PolicyDocumentsComponent implements PolicyDocuments {
    private PolicyDocumentApplier applier;

    @Reference
    ConfigurationAdmin configAdmin;

    @Reference
    ProfileStore store;

    @Reference(service = LoggerFactory.class)
    Logger logger;

    @Activate
    void activate() {
        applier = new PolicyDocumentApplier(configAdmin, store);
    }

    @Override
    public synchronized PolicyDocumentOutcome apply(String source, String json) {
        return report(source, "applied", applier.apply(source, json));
    }

    @Override
    public synchronized PolicyDocumentOutcome withdraw(String source) {
        return report(source, "withdrawn", applier.withdraw(source));
    }

    private PolicyDocumentOutcome report(String source, String what, PolicyDocumentApplier.Outcome outcome) {
        store.documentProblems(source, outcome.applied() ? List.of() : outcome.problems());
        if (outcome.applied()) {
            logger.info("policy document " + source + " " + what + ": "
                    + (outcome.changes().isEmpty() ? "no changes" : String.join(", ", outcome.changes())));
        } else {
            logger.error("policy document " + source + " rejected, nothing applied: "
                    + outcome.problems().stream().map(ProfileProblem::toString).collect(Collectors.joining("; ")));
        }
        return new PolicyDocumentOutcome(outcome.applied(), outcome.problems(), outcome.changes());
    }
}
