package org.mobilevpn.fleet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's credentials for the CLI, with the JDK alone (the CLI runs without the framework and
 * Bouncy Castle): certificates in PEM or DER, a key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY},
 * e.g. {@code openssl pkcs8 -topk8 -nocrypt}) or a PKCS#12 file with key and chain. The device side reads
 * every format profiles accept, through the CSP.
 */
final class OperatorCredentials {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    /** A certificate chain and its key (either may be empty/null). */
    record Credentials(List<X509Certificate> chain, PrivateKey key) {
    }

    private OperatorCredentials() {
    }

    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        return out;
    }

    /** Reads a PKCS#12 file, or a certificate file plus a PKCS#8 key file. */
    static Credentials read(Path cert, Path key, char[] password) throws IOException, GeneralSecurityException {
        String name = cert.getFileName().toString().toLowerCase();
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(cert)) {
                ks.load(in, password);
            }
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : ks.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return new Credentials(chain, (PrivateKey) ks.getKey(alias, password));
                }
            }
            throw new IOException(cert + " holds no key");
        }
        return new Credentials(certificates(cert), key == null ? null : privateKey(key));
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return read(file, null, System.getenv().getOrDefault("MOBILEVPN_FLEET_KEY_PASSWORD", "").toCharArray()).key();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(text);
        if (!m.find()) {
            throw new IOException(file + ": not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt, or use a PKCS#12 file");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String alg : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": neither an EC nor an RSA key");
    }
}
