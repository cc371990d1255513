package org.mobilevpn.fleet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * A bundle to deploy, as a {@code deploy} command brings it: inline ({@code data}, base64) or by
 * {@code url} (http or https), always with its {@code sha256}, and with the operator's {@code signature}
 * (a detached JWS over the jar, {@link JwsSignature}) when {@code require_signed = true}. Nothing is
 * written anywhere before the checksum, the signature and the manifest have been checked.
 *
 * @param bytes        the jar
 * @param symbolicName its Bundle-SymbolicName (without directives)
 * @param version      its Bundle-Version ({@code 0.0.0} when absent)
 * @param sha256       hex, as checked
 */
public record BundleImage(byte[] bytes, String symbolicName, String version, String sha256) {
    /** Bundles are small; a bigger download is refused rather than held in memory. */
    public static final int MAX_SIZE = 16 << 20;

    /** The request cannot be deployed; the message says why. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedException(String message) {
            super(message);
        }
    }

    /**
     * Reads and checks a deploy request.
     *
     * @param signer the operator's key, or null; with {@code requireSigned} a signature is mandatory
     */
    public static BundleImage from(Map<String, Object> request, boolean requireSigned, PublicKey signer)
            throws RefusedException {
        Object sha = request.get("sha256");
        if (!(sha instanceof String expected) || !expected.matches("(?i)[0-9a-f]{64}")) {
            throw new RefusedException("sha256: missing or not 64 hex digits: the jar's SHA-256 is required");
        }
        byte[] jar = content(request);
        String actual = sha256(jar);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new RefusedException("sha256: the bundle's SHA-256 is " + actual + ", not " + expected.toLowerCase(Locale.ROOT)
                    + ": refused, nothing installed");
        }
        Object signature = request.get("signature");
        if (signature instanceof String jws && !jws.isBlank()) {
            if (signer == null) {
                throw new RefusedException("signature: no signer certificate is configured to check it");
            }
            try {
                JwsSignature.verifyDetached(jws, jar, signer);
            } catch (JwsSignature.InvalidSignatureException e) {
                throw new RefusedException("signature: " + e.getMessage() + ": refused, nothing installed");
            }
        } else if (requireSigned) {
            throw new RefusedException("signature: missing: require_signed = true");
        }
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest mf = in.getManifest();
            String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                throw new RefusedException("the jar is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            String name = bsn.split(";")[0].strip();
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new RefusedException("Bundle-SymbolicName '" + name + "' is not a plain name");
            }
            String version = mf.getMainAttributes().getValue("Bundle-Version");
            return new BundleImage(jar, name, version == null ? "0.0.0" : version.strip(), actual);
        } catch (IOException e) {
            throw new RefusedException("the bundle is not a readable jar: " + e.getMessage());
        }
    }

    private static byte[] content(Map<String, Object> request) throws RefusedException {
        Object data = request.get("data");
        Object url = request.get("url");
        if (data instanceof String b64 && url == null) {
            try {
                byte[] jar = Base64.getMimeDecoder().decode(b64);
                if (jar.length > MAX_SIZE) {
                    throw new RefusedException("data: larger than " + MAX_SIZE + " bytes");
                }
                return jar;
            } catch (IllegalArgumentException e) {
                throw new RefusedException("data: not base64");
            }
        }
        if (url instanceof String u && data == null) {
            return download(u);
        }
        throw new RefusedException("give the bundle as either data (base64) or url (http/https)");
    }

    private static byte[] download(String url) throws RefusedException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new RefusedException("url: not a URI");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
            throw new RefusedException("url: only http and https are fetched");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new RefusedException("url: HTTP " + response.statusCode());
                }
                byte[] jar = in.readNBytes(MAX_SIZE + 1);
                if (jar.length > MAX_SIZE) {
                    throw new RefusedException("url: larger than " + MAX_SIZE + " bytes");
                }
                return jar;
            }
        } catch (IOException e) {
            throw new RefusedException("url: download failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RefusedException("url: interrupted");
        }
    }

    /** Lower-case hex SHA-256. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
