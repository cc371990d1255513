package org.mobilevpn.api.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads certificate and key files the way profiles name them ({@code cert}, {@code key}, {@code ca}):
 * PEM (certificates; PKCS#1, SEC1 or PKCS#8 keys, possibly encrypted), DER certificates, PKCS#12. For
 * other bundles that need the same credentials as a profile (e.g. a TLS client certificate).
 */
public interface CredentialFiles {

    /**
     * What one file held.
     *
     * @param certificates every certificate, in file order
     * @param key          the private key, or {@code null} when the file holds none
     */
    record Content(List<X509Certificate> certificates, PrivateKey key) {
        /** Copies the list. */
        public Content {
            certificates = List.copyOf(certificates);
        }
    }

    /**
     * Reads every certificate and at most one private key of a file.
     *
     * @param password for an encrypted key or a PKCS#12 file, or {@code null}; not kept
     * @throws IOException naming the file and what is wrong with it (never a secret)
     */
    Content read(Path file, char[] password) throws IOException;
}
