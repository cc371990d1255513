package org.mobilevpn.csp;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * Whether a private key belongs to a certificate: it signs a random challenge that the certificate's
 * public key must verify. This works the same for RSA, ECDSA and EdDSA without comparing key
 * encodings, and it proves the key can actually produce the IKE AUTH signature (RFC 7427).
 */
final class KeyPairCheck {
    private final SecureRandom random;

    KeyPairCheck(SecureRandom random) {
        this.random = random;
    }

    /** @throws CredentialException when the key type cannot sign */
    boolean matches(X509Certificate certificate, PrivateKey key) throws CredentialException {
        PublicKey pub = certificate.getPublicKey();
        String algorithm = signatureAlgorithm(key);
        if (!sameFamily(pub.getAlgorithm(), key.getAlgorithm())) {
            return false;
        }
        byte[] challenge = new byte[32];
        random.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // e.g. an EC key of another curve than the certificate's
        }
    }

    private static String signatureAlgorithm(PrivateKey key) throws CredentialException {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> throw new CredentialException("private key type " + key.getAlgorithm()
                    + " cannot sign IKE AUTH (use RSA, ECDSA or Ed25519)");
        };
    }

    private static boolean sameFamily(String a, String b) {
        return family(a).equals(family(b));
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "EC", "ECDSA" -> "EC";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> algorithm;
        };
    }
}
