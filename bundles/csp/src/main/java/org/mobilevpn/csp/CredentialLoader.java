package org.mobilevpn.csp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys the way strongSwan's swanctl directory holds them: PEM files
 * (any number of {@code CERTIFICATE} blocks, a PKCS#1, SEC1 or PKCS#8 key, the latter two possibly
 * encrypted), a DER certificate, or a PKCS#12 container (RFC 7292) with key, chain and CA certificates.
 * Bouncy Castle parses and decrypts (the JDK reads neither PEM nor legacy OpenSSL encryption); the
 * results are converted to the JDK's own certificate and key objects so the engine does not depend on
 * which provider read the file. The BC provider is used as an object, never installed globally.
 */
final class CredentialLoader {
    /** Credential files are small; a huge file is a mistake, not something to read into memory. */
    static final long MAX_FILE_SIZE = 1 << 20;

    /**
     * Made on the first encrypted key or PKCS#12 file: its constructor loads about 500 classes (2-3 MB of class
     * metadata and a share of the start-up's CPU) that a PSK or plain-PEM runtime never needs.
     */
    private Provider bc;

    private synchronized Provider bc() {
        if (bc == null) {
            bc = new BouncyCastleProvider();
        }
        return bc;
    }

    /** What one file held. */
    record Credentials(List<X509Certificate> certificates, PrivateKey key) {
        Credentials {
            certificates = List.copyOf(certificates);
        }
    }

    /**
     * Reads every certificate and at most one private key of a file.
     *
     * @param password for an encrypted key or a PKCS#12 file, or {@code null}; not kept
     * @throws CredentialException naming the file and what is wrong with it
     */
    Credentials read(Path file, char[] password) throws CredentialException {
        byte[] content = readBounded(file);
        if (isPem(content)) {
            return readPem(file, content, password);
        }
        List<X509Certificate> der = derCertificates(content);
        if (der != null) {
            return new Credentials(der, null);
        }
        Credentials p12 = readPkcs12(file, content, password);
        if (p12 != null) {
            return p12;
        }
        try {
            return new Credentials(List.of(), jdkKey(PrivateKeyInfo.getInstance(content)));
        } catch (RuntimeException | CredentialException e) {
            throw new CredentialException(file + " is not a PEM, DER or PKCS#12 file");
        }
    }

    private static byte[] readBounded(Path file) throws CredentialException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new CredentialException(file + (Files.exists(file) ? " is not a regular file" : " does not exist"));
            }
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new CredentialException(file + " is larger than " + MAX_FILE_SIZE + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new CredentialException(file + " cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static boolean isPem(byte[] content) {
        return new String(content, 0, Math.min(content.length, 4096), StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    private Credentials readPem(Path file, byte[] content, char[] password) throws CredentialException {
        List<X509Certificate> certificates = new ArrayList<>();
        PrivateKey key = null;
        try (PEMParser pem = new PEMParser(new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.US_ASCII))) {
            Object o;
            while ((o = pem.readObject()) != null) {
                PrivateKeyInfo info = null;
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(jdkCertificate(holder.getEncoded()));
                } else if (o instanceof PEMKeyPair pair) {
                    info = pair.getPrivateKeyInfo();
                } else if (o instanceof PrivateKeyInfo plain) {
                    info = plain;
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc())
                            .build(needPassword(file, password)));
                } else if (o instanceof PEMEncryptedKeyPair encrypted) {
                    info = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(bc())
                            .build(needPassword(file, password))).getPrivateKeyInfo();
                }
                // other blocks (EC PARAMETERS, public keys, CRLs) are not credentials: skipped
                if (info != null) {
                    if (key != null) {
                        throw new CredentialException(file + " holds more than one private key");
                    }
                    key = jdkKey(info);
                }
            }
        } catch (CredentialException e) {
            throw e;
        } catch (Exception e) {
            // BC reports a wrong password and broken base64 alike, as IOException or a PKCS/operator exception
            throw new CredentialException(file + (password != null && password.length > 0 && looksEncrypted(content)
                    ? " cannot be decrypted (wrong key_password?)" : " is not valid PEM: " + e.getClass().getSimpleName()));
        }
        if (certificates.isEmpty() && key == null) {
            throw new CredentialException(file + " holds no certificate and no private key");
        }
        return new Credentials(certificates, key);
    }

    private static boolean looksEncrypted(byte[] content) {
        String s = new String(content, StandardCharsets.ISO_8859_1);
        return s.contains("ENCRYPTED");
    }

    private static char[] needPassword(Path file, char[] password) throws CredentialException {
        if (password == null || password.length == 0) {
            throw new CredentialException(file + " holds an encrypted private key: set key_password");
        }
        return password;
    }

    /** DER certificates, or {@code null} if the content is not one. */
    private static List<X509Certificate> derCertificates(byte[] content) {
        try {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(content));
            return c instanceof X509Certificate x ? List.of(x) : null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** A PKCS#12 container's contents, or {@code null} if the content is not PKCS#12. */
    private Credentials readPkcs12(Path file, byte[] content, char[] password) throws CredentialException {
        KeyStore store;
        char[] pw = password == null ? new char[0] : password;
        try {
            store = KeyStore.getInstance("PKCS12", bc());
        } catch (GeneralSecurityException e) {
            throw new CredentialException("PKCS#12 is not available: " + e.getMessage());
        }
        try (InputStream in = new ByteArrayInputStream(content)) {
            store.load(in, pw);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase();
            if (m.contains("password") || m.contains("mac") || e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new CredentialException(file + " is a PKCS#12 file that cannot be opened (wrong key_password?)");
            }
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            List<X509Certificate> others = new ArrayList<>();
            PrivateKey key = null;
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key k = store.getKey(alias, pw);
                    if (!(k instanceof PrivateKey pk)) {
                        continue;
                    }
                    if (key != null) {
                        throw new CredentialException(file + " holds more than one private key");
                    }
                    key = jdkKey(PrivateKeyInfo.getInstance(pk.getEncoded()));
                    Certificate[] certs = store.getCertificateChain(alias);
                    for (Certificate c : certs == null ? new Certificate[0] : certs) {
                        chain.add(jdkCertificate(c.getEncoded()));
                    }
                } else if (store.getCertificate(alias) != null) {
                    others.add(jdkCertificate(store.getCertificate(alias).getEncoded()));
                }
            }
            for (X509Certificate c : others) {
                if (!chain.contains(c)) {
                    chain.add(c);
                }
            }
            if (chain.isEmpty() && key == null) {
                throw new CredentialException(file + " is a PKCS#12 file without certificates or keys");
            }
            return new Credentials(chain, key);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CredentialException(file + " is a PKCS#12 file whose entries cannot be read (wrong key_password?)");
        }
    }

    private static X509Certificate jdkCertificate(byte[] der) throws CredentialException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CredentialException("a certificate cannot be decoded: " + e.getMessage());
        }
    }

    /** The JDK's key object for a PKCS#8 structure, so later signing uses the JDK's providers. */
    private static PrivateKey jdkKey(PrivateKeyInfo info) throws CredentialException {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String algorithm = switch (oid) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            default -> throw new CredentialException("unsupported private key algorithm " + oid + " (use RSA, ECDSA or Ed25519)");
        };
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(withCurveInAlgorithm(info).getEncoded()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new CredentialException("the " + algorithm + " private key cannot be decoded ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * A SEC1 key ({@code EC PRIVATE KEY}, RFC 5915) names its curve inside the key; the JDK wants it in
     * the PKCS#8 algorithm identifier (RFC 5480 §2.1.1), so it is copied there.
     */
    private static PrivateKeyInfo withCurveInAlgorithm(PrivateKeyInfo info) throws IOException, CredentialException {
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getPrivateKeyAlgorithm().getAlgorithm())
                || info.getPrivateKeyAlgorithm().getParameters() != null) {
            return info;
        }
        ECPrivateKey sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
        ASN1Object curve = sec1.getParametersObject();
        if (curve == null) {
            throw new CredentialException("the EC private key does not name its curve");
        }
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1);
    }
}
