package org.mobilevpn.csp;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.mobilevpn.api.ike.AuthMethod;

/**
 * The certificate keys of a profile ({@code cert}, {@code key}, {@code key_password}, {@code ca}):
 * loads the files, checks that the key belongs to the certificate, warns about expired certificates
 * and about key files others can read. Problems name the key; the password never leaves this class.
 */
final class CredentialResolver {
    private final CredentialLoader loader;
    private final KeyPairCheck keyPairCheck;
    private final Clock clock;

    /** What the keys resolved to: our chain and key (pubkey only) and the trust anchors. */
    record Resolved(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> cas) {
    }

    CredentialResolver(CredentialLoader loader, KeyPairCheck keyPairCheck, Clock clock) {
        this.loader = loader;
        this.keyPairCheck = keyPairCheck;
        this.clock = clock;
    }

    /**
     * @param paths resolves a configured path against the runtime directory; throws
     *              IllegalArgumentException for a path that cannot exist
     */
    Resolved resolve(PropertyValues v, AuthMethod auth, Function<String, Path> paths, Problems problems, List<String> warnings) {
        char[] password = v.string(ProfileKeys.KEY_PASSWORD).map(String::toCharArray).orElse(null);
        try {
            List<X509Certificate> cas = cas(v, auth, paths, password, problems, warnings);
            if (auth != AuthMethod.PUBKEY) {
                for (String k : List.of(ProfileKeys.CERT, ProfileKeys.KEY)) {
                    if (v.string(k).isPresent()) {
                        warnings.add(k + ": ignored with auth = " + auth.name().toLowerCase());
                    }
                }
                return new Resolved(List.of(), null, cas);
            }
            Optional<String> certPath = v.string(ProfileKeys.CERT);
            if (certPath.isEmpty()) {
                problems.add(ProfileKeys.CERT, "missing: auth = pubkey needs our certificate (PEM or PKCS#12 file)");
                return new Resolved(List.of(), null, cas);
            }
            CredentialLoader.Credentials cert = read(ProfileKeys.CERT, certPath.get(), paths, password, problems);
            if (cert == null) {
                return new Resolved(List.of(), null, cas);
            }
            if (cert.certificates().isEmpty()) {
                problems.add(ProfileKeys.CERT, certPath.get() + " holds no certificate");
                return new Resolved(List.of(), null, cas);
            }
            validity(ProfileKeys.CERT, cert.certificates().get(0), warnings);
            PrivateKey key = privateKey(v, cert, certPath.get(), paths, password, problems, warnings);
            if (key == null) {
                return new Resolved(cert.certificates(), null, cas);
            }
            try {
                if (!keyPairCheck.matches(cert.certificates().get(0), key)) {
                    problems.add(ProfileKeys.KEY, "does not belong to the certificate "
                            + cert.certificates().get(0).getSubjectX500Principal().getName() + " of cert");
                }
            } catch (CredentialException e) {
                problems.add(ProfileKeys.KEY, e.getMessage());
            }
            return new Resolved(cert.certificates(), key, cas);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private PrivateKey privateKey(PropertyValues v, CredentialLoader.Credentials cert, String certPath,
                                  Function<String, Path> paths, char[] password, Problems problems, List<String> warnings) {
        Optional<String> keyPath = v.string(ProfileKeys.KEY);
        if (keyPath.isEmpty()) {
            if (cert.key() == null) {
                problems.add(ProfileKeys.KEY, "missing: auth = pubkey needs the certificate's private key "
                        + "(a PEM key file, or a PKCS#12 cert holding it)");
                return null;
            }
            permissions(ProfileKeys.CERT, certPath, paths, warnings);
            return cert.key();
        }
        CredentialLoader.Credentials keyFile = read(ProfileKeys.KEY, keyPath.get(), paths, password, problems);
        if (keyFile == null) {
            return null;
        }
        permissions(ProfileKeys.KEY, keyPath.get(), paths, warnings);
        if (keyFile.key() == null) {
            problems.add(ProfileKeys.KEY, keyPath.get() + " holds no private key");
        }
        return keyFile.key();
    }

    private List<X509Certificate> cas(PropertyValues v, AuthMethod auth, Function<String, Path> paths, char[] password,
                                      Problems problems, List<String> warnings) {
        List<String> files = v.list(ProfileKeys.CA);
        if (files.isEmpty() && auth == AuthMethod.PUBKEY) {
            problems.add(ProfileKeys.CA, "missing: auth = pubkey needs the CA certificate(s) the gateway's certificate "
                    + "is checked against");
        }
        List<X509Certificate> cas = new ArrayList<>();
        for (String file : files) {
            CredentialLoader.Credentials c = read(ProfileKeys.CA, file, paths, password, problems);
            if (c == null) {
                continue;
            }
            if (c.certificates().isEmpty()) {
                problems.add(ProfileKeys.CA, file + " holds no certificate");
            }
            for (X509Certificate ca : c.certificates()) {
                validity(ProfileKeys.CA, ca, warnings);
                if (!cas.contains(ca)) {
                    cas.add(ca);
                }
            }
        }
        return cas;
    }

    private CredentialLoader.Credentials read(String key, String file, Function<String, Path> paths, char[] password,
                                              Problems problems) {
        try {
            return loader.read(paths.apply(file), password);
        } catch (CredentialException e) {
            problems.add(key, e.getMessage());
        } catch (IllegalArgumentException e) {
            problems.add(key, Quote.of(file) + " is not a usable path");
        }
        return null;
    }

    private static void permissions(String key, String file, Function<String, Path> paths, List<String> warnings) {
        KeyFilePermissions.check(key, paths.apply(file)).ifPresent(warnings::add);
    }

    private void validity(String key, X509Certificate c, List<String> warnings) {
        Instant now = clock.instant();
        if (now.isAfter(c.getNotAfter().toInstant())) {
            warnings.add(key + ": certificate " + c.getSubjectX500Principal().getName() + " expired on " + c.getNotAfter().toInstant());
        } else if (now.isBefore(c.getNotBefore().toInstant())) {
            warnings.add(key + ": certificate " + c.getSubjectX500Principal().getName() + " is not valid before "
                    + c.getNotBefore().toInstant() + " (is the clock right?)");
        }
    }
}
