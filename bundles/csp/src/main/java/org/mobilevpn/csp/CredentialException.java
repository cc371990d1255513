package org.mobilevpn.csp;

/** A credential file cannot be used; the message says why and never contains a secret. */
final class CredentialException extends Exception {
    private static final long serialVersionUID = 1L;

    CredentialException(String message) {
        super(message);
    }
}
