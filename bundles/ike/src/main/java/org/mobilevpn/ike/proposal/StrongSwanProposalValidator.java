package org.mobilevpn.ike.proposal;

import org.mobilevpn.api.profile.ProposalValidator;
import org.osgi.service.component.annotations.Component;

/**
 * Lets the CSP check a profile's proposals when it is configured, against the keyword table of
 * {@link ProposalParser} — the same parser the engine negotiates with, so a profile accepted here
 * is a profile the engine can offer.
 */
@Component(service = ProposalValidator.class)
public class StrongSwanProposalValidator implements ProposalValidator {

    @Override
    public void checkIkeProposal(String proposal) {
        ProposalParser.parseIke(proposal);
    }

    @Override
    public void checkEspProposal(String proposal) {
        ProposalParser.parseEsp(proposal);
    }
}
