package org.mobilevpn.fleet;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One desired-policy message as it arrives on {@code .../policy}: the policy document of
 * {@code etc/mobilevpn-policy.json} ({@code profiles}, {@code delete}) plus an integer {@code revision},
 * either plain JSON or wrapped in a compact JWS signed by the operator ({@link JwsSignature}). This class
 * checks the envelope only (signature, revision, which profile names the document touches); the
 * profiles themselves are validated by the CSP when the document is applied.
 *
 * @param revision the document's revision; a device ignores one not newer than the revision it applied
 * @param document the policy document without {@code revision}, as the CSP takes it
 * @param names    the profile names it defines
 * @param deletes  the profile names it deletes
 * @param signed   whether the signature was checked
 */
public record PolicyMessage(long revision, String document, Set<String> names, Set<String> deletes, boolean signed) {

    /** The message cannot be used; the text names what is wrong (never quoting the document). */
    public static final class InvalidMessageException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String key;

        InvalidMessageException(String key, String message) {
            super(message);
            this.key = key;
        }

        /** The key the problem is about, e.g. {@code revision} or {@code (document)}. */
        public String key() {
            return key;
        }
    }

    /**
     * Reads a message.
     *
     * @param requireSigned only a JWS signed by {@code signer} is accepted
     * @param signer        the operator's key; null when none is configured
     */
    public static PolicyMessage parse(byte[] payload, boolean requireSigned, PublicKey signer) throws InvalidMessageException {
        byte[] json = payload;
        boolean signed = false;
        if (!looksLikeJsonObject(payload)) {
            if (signer == null) {
                throw new InvalidMessageException("(document)", "is neither a JSON object nor verifiable: no signer certificate is configured");
            }
            try {
                json = JwsSignature.verify(new String(payload, StandardCharsets.US_ASCII), signer);
                signed = true;
            } catch (JwsSignature.InvalidSignatureException e) {
                throw new InvalidMessageException("(signature)", e.getMessage());
            }
        } else if (requireSigned) {
            throw new InvalidMessageException("(signature)", "unsigned document refused: require_signed = true");
        }
        Map<String, Object> map;
        try {
            map = Json.object(json);
        } catch (Json.JsonException e) {
            throw new InvalidMessageException("(document)", e.getMessage());
        }
        Object rev = map.get("revision");
        if (rev == null) {
            throw new InvalidMessageException("revision", "missing: an integer that grows with every version of the document");
        }
        if (!(rev instanceof Integer || rev instanceof Long) || ((Number) rev).longValue() < 0) {
            throw new InvalidMessageException("revision", "must be a non-negative integer");
        }
        Map<String, Object> body = new LinkedHashMap<>(map);
        body.remove("revision");
        return new PolicyMessage(((Number) rev).longValue(), Json.write(body), profileNames(body.get("profiles")),
                strings(body.get("delete")), signed);
    }

    private static boolean looksLikeJsonObject(byte[] payload) {
        for (byte b : payload) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return false;
    }

    /** The names of an object of profiles, or of an array of profiles that carry {@code name}. */
    private static Set<String> profileNames(Object profiles) {
        Set<String> out = new LinkedHashSet<>();
        if (profiles instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> out.add(String.valueOf(k)));
        } else if (profiles instanceof List<?> l) {
            for (Object p : l) {
                if (p instanceof Map<?, ?> m && m.get("name") instanceof String s) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }

    private static Set<String> strings(Object list) {
        Set<String> out = new LinkedHashSet<>();
        if (list instanceof List<?> l) {
            for (Object o : new ArrayList<>(l)) {
                if (o instanceof String s) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }
}
