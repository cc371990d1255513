package org.mobilevpn.api.ike;

/** How we authenticate ourselves, in swanctl.conf's words ({@code auth = psk | pubkey}). */
public enum AuthMethod {
    /** Shared key message integrity code (RFC 7296 §2.15, auth method 2). */
    PSK,
    /** Signature with our private key and certificate (RFC 7427 digital signature, method 14). */
    PUBKEY
}
