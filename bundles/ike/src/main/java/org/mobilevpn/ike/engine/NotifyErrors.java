package org.mobilevpn.ike.engine;

import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.NotifyType;

/** Maps error notifies of the gateway (RFC 7296 §3.10.1) to the failure reason we report. */
final class NotifyErrors {

    private NotifyErrors() {
    }

    static FailureReason reasonFor(int notifyType) {
        switch (notifyType) {
            case NotifyType.AUTHENTICATION_FAILED:
                return FailureReason.AUTH_FAILED;
            case NotifyType.NO_PROPOSAL_CHOSEN:
                return FailureReason.NO_PROPOSAL_CHOSEN;
            case NotifyType.TS_UNACCEPTABLE:
            case NotifyType.SINGLE_PAIR_REQUIRED:
            case NotifyType.INVALID_SELECTORS:
                return FailureReason.TS_UNACCEPTABLE;
            default:
                return FailureReason.INTERNAL;
        }
    }

    static IkeFailureException failure(int notifyType, String during) {
        return new IkeFailureException(reasonFor(notifyType),
                "gateway answered " + during + " with " + NotifyType.name(notifyType));
    }
}
