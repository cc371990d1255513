package org.mobilevpn.ike.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;

/**
 * Random ECP groups 19 (P-256) and 20 (P-384), RFC 5903: the KE value is x | y, each coordinate
 * fixed-length big-endian (§7); the shared secret is the x coordinate of the product (§9). The peer's
 * point must decode as a point on the curve and not be the point at infinity (RFC 6989 §2.3). Bouncy
 * Castle's specialised curve arithmetic is used: faster than the JDK 17 SunEC provider here.
 */
final class EcpKeyExchange implements KeyExchange {
    private final KeyExchangeMethod method;
    private final ECDomainParameters domain;
    private final int coordinateLength;
    private ECPrivateKeyParameters privateKey;
    private final byte[] publicValue;

    EcpKeyExchange(KeyExchangeMethod method, SecureRandom random) {
        this.method = method;
        this.domain = domain(method);
        this.coordinateLength = (domain.getCurve().getFieldSize() + 7) / 8;
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        privateKey = (ECPrivateKeyParameters) pair.getPrivate();
        publicValue = encode(((ECPublicKeyParameters) pair.getPublic()).getQ());
    }

    /** With a known private scalar: for known-answer tests only. */
    EcpKeyExchange(KeyExchangeMethod method, BigInteger privateScalar) {
        this.method = method;
        this.domain = domain(method);
        this.coordinateLength = (domain.getCurve().getFieldSize() + 7) / 8;
        privateKey = new ECPrivateKeyParameters(privateScalar, domain);
        publicValue = encode(domain.getG().multiply(privateScalar));
    }

    private static ECDomainParameters domain(KeyExchangeMethod method) {
        String name;
        switch (method) {
            case ECP_256: name = "secp256r1"; break;
            case ECP_384: name = "secp384r1"; break;
            default: throw new IllegalArgumentException(method + " is not an ECP group");
        }
        X9ECParameters x9 = CustomNamedCurves.getByName(name);
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    private byte[] encode(ECPoint q) {
        ECPoint p = q.normalize();
        byte[] out = new byte[2 * coordinateLength];
        System.arraycopy(ModpKeyExchange.toFixedLength(p.getAffineXCoord().toBigInteger(), coordinateLength), 0, out, 0,
                coordinateLength);
        System.arraycopy(ModpKeyExchange.toFixedLength(p.getAffineYCoord().toBigInteger(), coordinateLength), 0, out,
                coordinateLength, coordinateLength);
        return out;
    }

    @Override
    public KeyExchangeMethod method() {
        return method;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidKeyExchangeException {
        if (peerPublicValue.length != 2 * coordinateLength) {
            throw new InvalidKeyExchangeException(method + " public value of " + peerPublicValue.length
                    + " octets, expected " + 2 * coordinateLength);
        }
        byte[] uncompressed = new byte[1 + peerPublicValue.length];
        uncompressed[0] = 0x04;
        System.arraycopy(peerPublicValue, 0, uncompressed, 1, peerPublicValue.length);
        ECPoint q;
        try {
            q = domain.getCurve().decodePoint(uncompressed); // checks that the point is on the curve
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyExchangeException(method + " public value is not a point on the curve", e);
        }
        if (q.isInfinity()) {
            throw new InvalidKeyExchangeException(method + " public value is the point at infinity");
        }
        ECDHBasicAgreement agreement = new ECDHBasicAgreement();
        agreement.init(privateKey);
        try {
            return ModpKeyExchange.toFixedLength(agreement.calculateAgreement(new ECPublicKeyParameters(q, domain)),
                    coordinateLength);
        } catch (IllegalStateException e) {
            throw new InvalidKeyExchangeException(method + " agreement failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        privateKey = null;
    }
}
