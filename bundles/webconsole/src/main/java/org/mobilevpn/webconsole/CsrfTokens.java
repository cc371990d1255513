package org.mobilevpn.webconsole;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens that protect the page's POST actions against cross-site request forgery (the synchronizer
 * token pattern, OWASP CSRF Prevention Cheat Sheet): the page embeds a token another site cannot read
 * (same-origin policy), and a POST must carry it. A token is an HMAC-SHA256 of the logged-in user's
 * name under a key drawn when the page component starts, so tokens are per user, need no session,
 * and all die with the component. Compared in constant time.
 */
final class CsrfTokens {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    /** @param random source of the key (a SecureRandom in the framework) */
    CsrfTokens(Random random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        key = new SecretKeySpec(k, ALGORITHM);
    }

    /** The token of {@code user} (null or empty for an anonymous request). */
    String tokenFor(String user) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] tag = mac.doFinal(("csrf\0" + (user == null ? "" : user)).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    /** Whether {@code token} is {@code user}'s token. */
    boolean isValid(String user, String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(user).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
