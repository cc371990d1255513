package org.mobilevpn.fleet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * JSON Web Signature, compact serialization (RFC 7515 §7.1), for the operator's signature on policy
 * documents and on deployed bundles (a detached payload, RFC 7515 Appendix F: {@code header..signature}).
 * Algorithms (RFC 7518 §3): ES256 (P-256, the signature as R||S), ES384 (P-384) and RS256; the algorithm
 * must fit the signer's key, so a header cannot switch an RSA key to another scheme. {@code none} and
 * headers with {@code crit} (extensions we do not understand, RFC 7515 §4.1.11) are refused.
 */
public final class JwsSignature {
    private static final Set<String> KNOWN_HEADERS = Set.of("alg", "typ", "cty", "kid");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private JwsSignature() {
    }

    /** A signature that does not verify, or a JWS that is not well-formed. */
    public static final class InvalidSignatureException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidSignatureException(String message) {
            super(message);
        }
    }

    /**
     * Verifies a compact JWS with an attached payload.
     *
     * @return the payload (the signed document)
     */
    public static byte[] verify(String jws, PublicKey signer) throws InvalidSignatureException {
        String[] parts = split(jws);
        if (parts[1].isEmpty()) {
            throw new InvalidSignatureException("the JWS has no payload");
        }
        check(parts, signer);
        return decode(parts[1], "payload");
    }

    /** Verifies a compact JWS whose payload is detached (RFC 7515 Appendix F): {@code payload} is what was signed. */
    public static void verifyDetached(String jws, byte[] payload, PublicKey signer) throws InvalidSignatureException {
        String[] parts = split(jws);
        if (!parts[1].isEmpty() && !parts[1].equals(B64.encodeToString(payload))) {
            throw new InvalidSignatureException("the JWS carries another payload");
        }
        parts[1] = B64.encodeToString(payload);
        check(parts, signer);
    }

    /** Signs {@code payload} (ES256/ES384 for an EC key by its size, RS256 for RSA); the operator side. */
    public static String sign(byte[] payload, PrivateKey key, boolean detached) throws GeneralSecurityException {
        String alg = algorithmFor(key);
        String header = B64.encodeToString(("{\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8));
        String body = B64.encodeToString(payload);
        Signature s;
        try {
            s = Signature.getInstance(jcaName(alg));
        } catch (InvalidSignatureException e) {
            throw new GeneralSecurityException(alg);
        }
        s.initSign(key);
        s.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
        return header + "." + (detached ? "" : body) + "." + B64.encodeToString(s.sign());
    }

    private static String[] split(String jws) throws InvalidSignatureException {
        String trimmed = jws.strip();
        String[] parts = trimmed.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            throw new InvalidSignatureException("not a JWS in compact serialization (header.payload.signature)");
        }
        return parts;
    }

    private static void check(String[] parts, PublicKey signer) throws InvalidSignatureException {
        Map<String, Object> header;
        try {
            header = Json.object(decode(parts[0], "header"));
        } catch (Json.JsonException e) {
            throw new InvalidSignatureException("JWS header " + e.getMessage());
        }
        for (String name : header.keySet()) {
            if (!KNOWN_HEADERS.contains(name)) {
                throw new InvalidSignatureException("JWS header '" + name + "' is not supported");
            }
        }
        Object alg = header.get("alg");
        String expected = algorithmFor(signer);
        if (!(alg instanceof String a) || !a.equals(expected)) {
            throw new InvalidSignatureException("JWS algorithm '" + alg + "' does not fit the signer's key (" + expected + ")");
        }
        try {
            Signature s = Signature.getInstance(jcaName(expected));
            s.initVerify(signer);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(decode(parts[2], "signature"))) {
                throw new InvalidSignatureException("the signature does not verify with the signer's certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidSignatureException("the signature does not verify with the signer's certificate ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] decode(String part, String what) throws InvalidSignatureException {
        try {
            return B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("JWS " + what + " is not base64url");
        }
    }

    private static String algorithmFor(Key key) {
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits == 256 ? "ES256" : bits == 384 ? "ES384" : "unsupported EC key of " + bits + " bits";
        }
        if (key instanceof RSAKey) {
            return "RS256";
        }
        return "unsupported key " + key.getAlgorithm();
    }

    private static String jcaName(String alg) throws InvalidSignatureException {
        return switch (alg) {
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "ES384" -> "SHA384withECDSAinP1363Format";
            case "RS256" -> "SHA256withRSA";
            default -> throw new InvalidSignatureException("no JWS algorithm for this key");
        };
    }
}
