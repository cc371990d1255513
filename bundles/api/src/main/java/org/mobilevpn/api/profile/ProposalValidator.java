package org.mobilevpn.api.profile;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks proposal strings in strongSwan's keyword syntax ({@code aes256gcm16-prfsha384-x25519}) against
 * the algorithms the IKE engine really implements. Provided by the engine's bundle, which owns the
 * keyword table, so the CSP can reject an unknown keyword when a profile is configured instead of when
 * the connection starts. Implementations must be thread safe.
 */
@ProviderType
public interface ProposalValidator {

    /**
     * Checks one IKE proposal ({@code ike_proposals} / swanctl {@code proposals}).
     *
     * @throws IllegalArgumentException naming the unknown or misplaced keyword
     */
    void checkIkeProposal(String proposal);

    /**
     * Checks one ESP proposal ({@code esp_proposals}).
     *
     * @throws IllegalArgumentException naming the unknown or misplaced keyword
     */
    void checkEspProposal(String proposal);
}
