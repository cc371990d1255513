package org.mobilevpn.ike.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.mobilevpn.ike.crypto.Prf;

/**
 * Shared key message integrity code (RFC 7296 §2.15, AUTH method 2):
 * AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets ).
 */
final class PskAuthenticator {
    private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    private PskAuthenticator() {
    }

    static byte[] authData(Prf prf, byte[] psk, byte[] signedOctets) {
        byte[] padKey = prf.compute(psk, KEY_PAD);
        try {
            return prf.compute(padKey, signedOctets);
        } finally {
            Arrays.fill(padKey, (byte) 0);
        }
    }

    /** Constant-time check of the peer's AUTH data. */
    static boolean verify(Prf prf, byte[] psk, byte[] signedOctets, byte[] received) {
        return MessageDigest.isEqual(authData(prf, psk, signedOctets), received);
    }
}
