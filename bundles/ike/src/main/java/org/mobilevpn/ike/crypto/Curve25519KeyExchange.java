package org.mobilevpn.ike.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;

/**
 * Curve25519 (group 31, RFC 8031): X25519 of RFC 7748 §5 with 32-octet little-endian public values;
 * an all-zero shared secret means a small-order peer point and is rejected (RFC 8031 §2.3). Bouncy
 * Castle's constant-time X25519 is used: several times faster than the JDK 17 XDH provider.
 */
final class Curve25519KeyExchange implements KeyExchange {
    private final byte[] scalar = new byte[X25519.SCALAR_SIZE];
    private final byte[] publicValue = new byte[X25519.POINT_SIZE];

    Curve25519KeyExchange(SecureRandom random) {
        X25519.generatePrivateKey(random, scalar);
        X25519.generatePublicKey(scalar, 0, publicValue, 0);
    }

    /** With a known private scalar (32 octets as in RFC 7748): for known-answer tests only. */
    Curve25519KeyExchange(byte[] knownScalar) {
        System.arraycopy(knownScalar, 0, scalar, 0, X25519.SCALAR_SIZE);
        X25519.generatePublicKey(scalar, 0, publicValue, 0);
    }

    @Override
    public KeyExchangeMethod method() {
        return KeyExchangeMethod.CURVE25519;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidKeyExchangeException {
        if (peerPublicValue.length != X25519.POINT_SIZE) {
            throw new InvalidKeyExchangeException("Curve25519 public value of " + peerPublicValue.length + " octets");
        }
        byte[] secret = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(scalar, 0, peerPublicValue, 0, secret, 0)) {
            throw new InvalidKeyExchangeException("Curve25519 shared secret is all zero");
        }
        return secret;
    }

    @Override
    public void close() {
        Arrays.fill(scalar, (byte) 0);
    }
}
