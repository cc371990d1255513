package org.mobilevpn.ike.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;

/**
 * MODP Diffie-Hellman groups 14 and 15 (RFC 3526 §3, §4), generator 2. Public values and the shared
 * secret are big-endian and zero-padded to the length of the prime (RFC 7296 §2.14, §3.4); a peer
 * value outside 1 &lt; y &lt; p-1 is rejected.
 */
final class ModpKeyExchange implements KeyExchange {
    /** RFC 3526 §3: 2^2048 - 2^1984 - 1 + 2^64 * ( [2^1918 pi] + 124476 ). */
    static final BigInteger PRIME_2048 = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
            + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
            + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
            + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
            + "15728E5A8AACAA68FFFFFFFFFFFFFFFF", 16);
    /** RFC 3526 §4: 2^3072 - 2^3008 - 1 + 2^64 * ( [2^2942 pi] + 1690314 ). */
    static final BigInteger PRIME_3072 = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
            + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
            + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
            + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
            + "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
            + "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
            + "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16);
    private static final BigInteger GENERATOR = BigInteger.TWO;
    /**
     * Bits of the private exponent. RFC 3526 §8 estimates the groups at 110-160 (2048) and 130-210 (3072) bits
     * of strength and asks for an exponent of at least twice that; 256 bits covers both, as strongSwan uses,
     * and keeps key generation and agreement several times faster than a full-size exponent.
     */
    static final int EXPONENT_BITS = 256;

    private final KeyExchangeMethod method;
    private final DHParameterSpec params;
    private final int length;
    private KeyPair keyPair;

    ModpKeyExchange(KeyExchangeMethod method, SecureRandom random) {
        this.method = method;
        BigInteger p = method == KeyExchangeMethod.MODP_2048 ? PRIME_2048 : PRIME_3072;
        this.params = new DHParameterSpec(p, GENERATOR, EXPONENT_BITS);
        this.length = (p.bitLength() + 7) / 8;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
            g.initialize(params, random);
            keyPair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DH unavailable in this JRE", e);
        }
    }

    @Override
    public KeyExchangeMethod method() {
        return method;
    }

    @Override
    public byte[] publicValue() {
        return toFixedLength(((DHPublicKey) keyPair.getPublic()).getY(), length);
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidKeyExchangeException {
        if (peerPublicValue.length != length) {
            throw new InvalidKeyExchangeException(method + " public value of " + peerPublicValue.length
                    + " octets, expected " + length);
        }
        BigInteger y = new BigInteger(1, peerPublicValue);
        BigInteger p = params.getP();
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
            throw new InvalidKeyExchangeException(method + " public value out of range");
        }
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("DH");
            agreement.init(keyPair.getPrivate());
            agreement.doPhase(KeyFactory.getInstance("DH").generatePublic(new DHPublicKeySpec(y, p, GENERATOR)), true);
            byte[] secret = agreement.generateSecret();
            byte[] fixed = toFixedLength(new BigInteger(1, secret), length);
            Arrays.fill(secret, (byte) 0);
            return fixed;
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyExchangeException(method + " agreement failed: " + e.getMessage(), e);
        }
    }

    static byte[] toFixedLength(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    @Override
    public void close() {
        keyPair = null; // the JCA key object cannot be wiped; drop the reference
    }
}
