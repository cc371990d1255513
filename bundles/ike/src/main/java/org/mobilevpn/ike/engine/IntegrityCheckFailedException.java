package org.mobilevpn.ike.engine;

/**
 * A protected message failed its integrity check or could not be decrypted: RFC 7296 §2.21.2 says
 * to discard it silently (it may be forged), so this never becomes a notify.
 */
public final class IntegrityCheckFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public IntegrityCheckFailedException(String message) {
        super(message);
    }
}
