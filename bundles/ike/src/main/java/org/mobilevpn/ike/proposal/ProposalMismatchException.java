package org.mobilevpn.ike.proposal;

/**
 * The responder's chosen proposal is not one we offered (RFC 7296 §2.7: it must be a subset of a
 * single proposal of ours, one transform per type). The SA cannot be used.
 */
public final class ProposalMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProposalMismatchException(String message) {
        super(message);
    }
}
