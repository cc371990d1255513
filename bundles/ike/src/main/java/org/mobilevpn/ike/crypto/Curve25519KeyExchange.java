package org.mobilevpn.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.mobilevpn.api.ike.KeyExchangeMethod;

/**
 * Curve25519 (group 31, RFC 8031): X25519 of RFC 7748 §5 with 32-octet little-endian public values;
 * an all-zero shared secret means a small-order peer point and is rejected (RFC 8031 §2.3).
 */
final class Curve25519KeyExchange implements KeyExchange {
    private PrivateKey privateKey;
    private final byte[] publicValue;

    Curve25519KeyExchange(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(NamedParameterSpec.X25519, random);
            KeyPair pair = g.generateKeyPair();
            privateKey = pair.getPrivate();
            publicValue = littleEndian(((XECPublicKey) pair.getPublic()).getU());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable in this JRE", e);
        }
    }

    /** With a known private scalar (32 octets as in RFC 7748): for known-answer tests only. */
    Curve25519KeyExchange(byte[] scalar) throws GeneralSecurityException {
        privateKey = KeyFactory.getInstance("X25519").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519,
                scalar.clone()));
        // The public value is X25519(scalar, 9): agree with the base point.
        byte[] basePoint = new byte[32];
        basePoint[0] = 9;
        publicValue = agree(basePoint);
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
        if (peerPublicValue.length != 32) {
            throw new InvalidKeyExchangeException("Curve25519 public value of " + peerPublicValue.length + " octets");
        }
        byte[] secret;
        try {
            secret = agree(peerPublicValue);
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyExchangeException("Curve25519 agreement failed: " + e.getMessage(), e);
        }
        int or = 0;
        for (byte b : secret) {
            or |= b;
        }
        if (or == 0) {
            throw new InvalidKeyExchangeException("Curve25519 shared secret is all zero");
        }
        return secret;
    }

    private byte[] agree(byte[] peerU) throws GeneralSecurityException {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = peerU[31 - i];
        }
        be[0] &= 0x7f; // RFC 7748 §5: the most significant bit of the final octet is masked
        BigInteger u = new BigInteger(1, be);
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(privateKey);
        agreement.doPhase(KeyFactory.getInstance("X25519").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u)),
                true);
        return agreement.generateSecret();
    }

    private static byte[] littleEndian(BigInteger u) {
        byte[] be = ModpKeyExchange.toFixedLength(u, 32);
        byte[] le = new byte[32];
        for (int i = 0; i < 32; i++) {
            le[i] = be[31 - i];
        }
        return le;
    }

    @Override
    public void close() {
        privateKey = null;
    }
}
