package org.mobilevpn.ike.crypto;

/** The peer's key exchange value is unusable (wrong length, not on the curve, a small-order point ...). */
public final class InvalidKeyExchangeException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidKeyExchangeException(String message) {
        super(message);
    }

    public InvalidKeyExchangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
