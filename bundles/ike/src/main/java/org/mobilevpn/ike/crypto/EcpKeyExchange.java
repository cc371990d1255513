package org.mobilevpn.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.mobilevpn.api.ike.KeyExchangeMethod;

/**
 * Random ECP groups 19 (P-256) and 20 (P-384), RFC 5903: the KE value is x | y, each coordinate
 * fixed-length big-endian (§7); the shared secret is the x coordinate of the product (§9). The peer's
 * point is checked to lie on the curve before use (RFC 6989 §2.3).
 */
final class EcpKeyExchange implements KeyExchange {
    private final KeyExchangeMethod method;
    private final ECParameterSpec params;
    private final int coordinateLength;
    private PrivateKey privateKey;
    private final ECPoint publicPoint;

    EcpKeyExchange(KeyExchangeMethod method, SecureRandom random) {
        this.method = method;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curveName(method)), random);
            KeyPair pair = g.generateKeyPair();
            privateKey = pair.getPrivate();
            ECPublicKey pub = (ECPublicKey) pair.getPublic();
            publicPoint = pub.getW();
            params = pub.getParams();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC unavailable in this JRE", e);
        }
        coordinateLength = (params.getCurve().getField().getFieldSize() + 7) / 8;
    }

    /** With a known private scalar: for known-answer tests only. */
    EcpKeyExchange(KeyExchangeMethod method, BigInteger privateScalar) throws GeneralSecurityException {
        this.method = method;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curveName(method)));
        params = ((ECPublicKey) g.generateKeyPair().getPublic()).getParams();
        coordinateLength = (params.getCurve().getField().getFieldSize() + 7) / 8;
        privateKey = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(privateScalar, params));
        publicPoint = multiplyGenerator(privateScalar);
    }

    private static String curveName(KeyExchangeMethod method) {
        switch (method) {
            case ECP_256: return "secp256r1";
            case ECP_384: return "secp384r1";
            default: throw new IllegalArgumentException(method + " is not an ECP group");
        }
    }

    @Override
    public KeyExchangeMethod method() {
        return method;
    }

    @Override
    public byte[] publicValue() {
        byte[] out = new byte[2 * coordinateLength];
        System.arraycopy(ModpKeyExchange.toFixedLength(publicPoint.getAffineX(), coordinateLength), 0, out, 0,
                coordinateLength);
        System.arraycopy(ModpKeyExchange.toFixedLength(publicPoint.getAffineY(), coordinateLength), 0, out,
                coordinateLength, coordinateLength);
        return out;
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidKeyExchangeException {
        if (peerPublicValue.length != 2 * coordinateLength) {
            throw new InvalidKeyExchangeException(method + " public value of " + peerPublicValue.length
                    + " octets, expected " + 2 * coordinateLength);
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(peerPublicValue, 0, coordinateLength));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(peerPublicValue, coordinateLength, peerPublicValue.length));
        if (!isOnCurve(x, y)) {
            throw new InvalidKeyExchangeException(method + " public value is not a point on the curve");
        }
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(privateKey);
            agreement.doPhase(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params)),
                    true);
            byte[] secret = agreement.generateSecret();
            return secret.length == coordinateLength ? secret
                    : ModpKeyExchange.toFixedLength(new BigInteger(1, secret), coordinateLength);
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyExchangeException(method + " agreement failed: " + e.getMessage(), e);
        }
    }

    /** y^2 = x^3 + a x + b (mod p), with both coordinates in [0, p). */
    private boolean isOnCurve(BigInteger x, BigInteger y) {
        EllipticCurve curve = params.getCurve();
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }

    /** Double-and-add over affine coordinates; used only to derive a test key's public point. */
    private ECPoint multiplyGenerator(BigInteger k) {
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = params.getGenerator();
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return result;
    }

    private ECPoint add(ECPoint a, ECPoint b) {
        if (a.equals(ECPoint.POINT_INFINITY)) {
            return b;
        }
        if (b.equals(ECPoint.POINT_INFINITY)) {
            return a;
        }
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        BigInteger lambda;
        if (a.equals(b)) {
            BigInteger num = a.getAffineX().pow(2).multiply(BigInteger.valueOf(3)).add(params.getCurve().getA());
            lambda = num.multiply(a.getAffineY().shiftLeft(1).modInverse(p)).mod(p);
        } else {
            if (a.getAffineX().equals(b.getAffineX())) {
                return ECPoint.POINT_INFINITY;
            }
            lambda = b.getAffineY().subtract(a.getAffineY())
                    .multiply(b.getAffineX().subtract(a.getAffineX()).modInverse(p)).mod(p);
        }
        BigInteger x = lambda.pow(2).subtract(a.getAffineX()).subtract(b.getAffineX()).mod(p);
        BigInteger y = lambda.multiply(a.getAffineX().subtract(x)).subtract(a.getAffineY()).mod(p);
        return new ECPoint(x, y);
    }

    @Override
    public void close() {
        privateKey = null;
    }
}
