package org.mobilevpn.ike.engine;

import java.util.Arrays;

/**
 * Simultaneous rekeying (RFC 7296 §2.8.1): of two SAs created for the same purpose, the one created
 * with the lowest of the four nonces (compared as unsigned octet strings) is redundant.
 */
final class RekeyCollision {

    private RekeyCollision() {
    }

    /** @param ours {Ni, Nr} of our exchange; @param theirs {Ni, Nr} of the peer's exchange */
    static boolean lowestNonceIsOurs(byte[][] ours, byte[][] theirs) {
        byte[] lowestOurs = min(ours[0], ours[1]);
        byte[] lowestTheirs = min(theirs[0], theirs[1]);
        return Arrays.compareUnsigned(lowestOurs, lowestTheirs) < 0;
    }

    private static byte[] min(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
