package org.mobilevpn.ike.engine;

import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.crypto.InvalidKeyExchangeException;
import org.mobilevpn.ike.crypto.KeyExchange;
import org.mobilevpn.ike.message.KePayload;

/** g^ir for CREATE_CHILD_SA exchanges (RFC 7296 §1.3): checks the peer's KE group before agreeing. */
final class KeyExchangeHelper {

    private KeyExchangeHelper() {
    }

    static byte[] agree(KeyExchange ours, KePayload theirs) throws IkeFailureException {
        if (theirs == null || theirs.group() != ours.method().ianaId()) {
            throw new IkeFailureException(FailureReason.INTERNAL, "peer's KE payload does not match group " + ours.method());
        }
        try {
            return ours.sharedSecret(theirs.keyData());
        } catch (InvalidKeyExchangeException e) {
            throw new IkeFailureException(FailureReason.INTERNAL, "peer's KE payload: " + e.getMessage(), e);
        } finally {
            ours.close();
        }
    }
}
