package org.mobilevpn.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenSSL's signatures against the JDK's: each verifies the other's, a changed octet fails, and what
 * OpenSSL is not used for reaches the fallback. Needs libcrypto (there wherever strongSwan is installed).
 */
class OpenSslAuthSignaturesTest {
    private static final JcaAuthSignatures JDK = new JcaAuthSignatures();
    private static KeyPair rsa;
    private static KeyPair p256;
    private static KeyPair p384;

    /** Counts what reaches it, then does it with the JDK. */
    private static final class CountingFallback implements AuthSignatures {
        final List<String> calls = new ArrayList<>();

        @Override
        public byte[] sign(String algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
            calls.add(algorithm);
            return JDK.sign(algorithm, key, data);
        }

        @Override
        public boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
            calls.add(algorithm);
            return JDK.verify(algorithm, key, data, signature);
        }
    }

    private final CountingFallback fallback = new CountingFallback();
    private final byte[] data = new byte[600];

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        p256 = ec.generateKeyPair();
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        p384 = ec.generateKeyPair();
    }

    private OpenSslAuthSignatures openSsl() {
        try {
            return OpenSslAuthSignatures.load(fallback);
        } catch (UnsatisfiedLinkError e) {
            Assumptions.assumeTrue("true".equals(System.getenv("CI")), "no libcrypto here: " + e.getMessage());
            throw e; // in CI libcrypto must be there
        }
    }

    OpenSslAuthSignaturesTest() {
        new Random(7).nextBytes(data);
    }

    @Test
    void signaturesOfEitherSideVerifyOnTheOther() throws Exception {
        try (OpenSslAuthSignatures ssl = openSsl()) {
            Object[][] cases = {
                {"SHA256withRSA", rsa}, {"SHA384withRSA", rsa}, {"SHA512withRSA", rsa}, {"SHA1withRSA", rsa},
                {"SHA256withECDSA", p256}, {"SHA384withECDSA", p384}, {"SHA512withECDSA", p256},
            };
            for (Object[] c : cases) {
                String algorithm = (String) c[0];
                KeyPair pair = (KeyPair) c[1];
                byte[] ours = ssl.sign(algorithm, pair.getPrivate(), data);
                assertTrue(JDK.verify(algorithm, pair.getPublic(), data, ours), algorithm + " by OpenSSL, checked by the JDK");
                byte[] theirs = JDK.sign(algorithm, pair.getPrivate(), data);
                assertTrue(ssl.verify(algorithm, pair.getPublic(), data, theirs), algorithm + " by the JDK, checked by OpenSSL");
                byte[] changed = data.clone();
                changed[17] ^= 1;
                assertFalse(ssl.verify(algorithm, pair.getPublic(), changed, theirs), algorithm + " over changed data");
            }
            assertEquals(List.of(), fallback.calls, "all of these are OpenSSL's");
        }
    }

    @Test
    void theSameKeySignsAgainFromItsNativeCopy() throws Exception {
        try (OpenSslAuthSignatures ssl = openSsl()) {
            for (int i = 0; i < 3; i++) {
                assertTrue(JDK.verify("SHA256withRSA", rsa.getPublic(), data, ssl.sign("SHA256withRSA", rsa.getPrivate(), data)));
            }
        }
    }

    @Test
    void anOperationOpenSslRefusesGoesToTheFallback() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(512); // too short for a PKCS#1 v1.5 DigestInfo of SHA-512: OpenSSL refuses, and so does the JDK
        KeyPair small = r.generateKeyPair();
        try (OpenSslAuthSignatures ssl = openSsl()) {
            assertThrows(GeneralSecurityException.class, () -> ssl.sign("SHA512withRSA", small.getPrivate(), data));
            assertEquals(List.of("SHA512withRSA"), fallback.calls);
        }
    }

    @Test
    void otherAlgorithmsAndAClosedInstanceUseTheFallback() throws Exception {
        OpenSslAuthSignatures ssl = openSsl();
        byte[] p1363 = ssl.sign("SHA256withECDSAinP1363Format", p256.getPrivate(), data);
        assertEquals(64, p1363.length);
        assertTrue(ssl.verify("SHA256withECDSAinP1363Format", p256.getPublic(), data, p1363));
        assertEquals(List.of("SHA256withECDSAinP1363Format", "SHA256withECDSAinP1363Format"), fallback.calls);

        ssl.close();
        byte[] afterClose = ssl.sign("SHA256withRSA", rsa.getPrivate(), data);
        assertTrue(JDK.verify("SHA256withRSA", rsa.getPublic(), data, afterClose));
        assertEquals(3, fallback.calls.size());
    }
}
