package org.mobilevpn.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * Signs our IKE_AUTH and verifies the gateway's (RFC 7296 §2.15, RFC 7427 §3) with a JCA algorithm name
 * such as {@code SHA256withRSA}, {@code SHA384withECDSA} (DER-encoded r and s) or
 * {@code SHA256withECDSAinP1363Format}. An interface because the implementation is chosen by measurement:
 * the JDK's RSA and ECDSA are several times slower than the platform's OpenSSL, and they are the largest
 * part of a certificate handshake that is ours (docs/benchmarks.md, IKE handshake).
 */
public interface AuthSignatures {

    /** The signature of {@code data} with {@code key}. */
    byte[] sign(String algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException;

    /**
     * Whether {@code signature} is {@code key}'s signature of {@code data}.
     *
     * @throws GeneralSecurityException if the key or algorithm cannot be used (a wrong signature is {@code false})
     */
    boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException;
}
