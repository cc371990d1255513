package org.mobilevpn.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;

/** Known answers for the key exchange methods, and rejection of invalid peer values. */
class KeyExchangeKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] h(String hex) {
        return HEX.parseHex(hex);
    }

    /** RFC 5903 §8.1: 256-bit random ECP group, KE value x | y, shared secret the x coordinate. */
    @Test
    void ecp256Rfc5903() throws Exception {
        EcpKeyExchange i = new EcpKeyExchange(KeyExchangeMethod.ECP_256,
                new BigInteger("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433", 16));
        assertArrayEquals(h("DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
                + "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3"), i.publicValue());
        byte[] gr = h("D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
                + "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB");
        assertArrayEquals(h("D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"), i.sharedSecret(gr));
    }

    /** RFC 5903 §8.2: 384-bit random ECP group. */
    @Test
    void ecp384Rfc5903() throws Exception {
        EcpKeyExchange i = new EcpKeyExchange(KeyExchangeMethod.ECP_384, new BigInteger(
                "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194", 16));
        assertArrayEquals(h("667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA"
                + "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C"),
                i.publicValue());
        byte[] gr = h("E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571"
                + "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C");
        assertArrayEquals(h("11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746"),
                i.sharedSecret(gr));
    }

    /** RFC 7748 §6.1: Alice's and Bob's X25519 keys and their shared secret. */
    @Test
    void curve25519Rfc7748() throws Exception {
        Curve25519KeyExchange alice = new Curve25519KeyExchange(
                h("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        Curve25519KeyExchange bob = new Curve25519KeyExchange(
                h("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertArrayEquals(h("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alice.publicValue());
        assertArrayEquals(h("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), bob.publicValue());
        byte[] k = h("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(k, alice.sharedSecret(bob.publicValue()));
        assertArrayEquals(k, bob.sharedSecret(alice.publicValue()));
    }

    /** MODP groups: both sides agree, values are prime-length, and agree with g^xy computed by BigInteger. */
    @Test
    void modpAgreesAndPadsToThePrimeLength() throws Exception {
        SecureRandom random = new SecureRandom();
        for (KeyExchangeMethod m : new KeyExchangeMethod[] {KeyExchangeMethod.MODP_2048, KeyExchangeMethod.MODP_3072}) {
            KeyExchange a = CryptoFactory.keyExchange(m, random);
            KeyExchange b = CryptoFactory.keyExchange(m, random);
            int length = m == KeyExchangeMethod.MODP_2048 ? 256 : 384;
            assertEquals(length, a.publicValue().length);
            byte[] s1 = a.sharedSecret(b.publicValue());
            assertEquals(length, s1.length);
            assertArrayEquals(s1, b.sharedSecret(a.publicValue()));
        }
        // Independent check of the groups: RFC 3526 primes are safe primes of the stated size.
        BigInteger p = ModpKeyExchange.PRIME_2048;
        assertEquals(2048, p.bitLength());
        assertEquals(true, p.isProbablePrime(40));
        assertEquals(true, p.subtract(BigInteger.ONE).shiftRight(1).isProbablePrime(40)); // a safe prime
        assertEquals(true, ModpKeyExchange.PRIME_3072.isProbablePrime(40));
    }

    @Test
    void everyMethodAgreesWithItself() throws Exception {
        SecureRandom random = new SecureRandom();
        for (KeyExchangeMethod m : KeyExchangeMethod.values()) {
            try (KeyExchange a = CryptoFactory.keyExchange(m, random); KeyExchange b = CryptoFactory.keyExchange(m, random)) {
                assertArrayEquals(a.sharedSecret(b.publicValue()), b.sharedSecret(a.publicValue()), m.toString());
            }
        }
    }

    @Test
    void invalidPeerValuesAreRejected() {
        SecureRandom random = new SecureRandom();
        KeyExchange ecp = CryptoFactory.keyExchange(KeyExchangeMethod.ECP_256, random);
        byte[] offCurve = ecp.publicValue();
        offCurve[63] ^= 1;
        assertThrows(InvalidKeyExchangeException.class, () -> ecp.sharedSecret(offCurve));
        assertThrows(InvalidKeyExchangeException.class, () -> ecp.sharedSecret(new byte[65]));
        KeyExchange modp = CryptoFactory.keyExchange(KeyExchangeMethod.MODP_2048, random);
        byte[] one = new byte[256];
        one[255] = 1;
        assertThrows(InvalidKeyExchangeException.class, () -> modp.sharedSecret(one));
        assertThrows(InvalidKeyExchangeException.class, () -> modp.sharedSecret(new byte[255]));
        KeyExchange x = CryptoFactory.keyExchange(KeyExchangeMethod.CURVE25519, random);
        assertThrows(InvalidKeyExchangeException.class, () -> x.sharedSecret(new byte[32])); // small order: zero
        assertThrows(InvalidKeyExchangeException.class, () -> x.sharedSecret(Arrays.copyOf(x.publicValue(), 31)));
    }
}
