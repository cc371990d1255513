package org.mobilevpn.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The faster signatures are loaded by the first signature, once, not before; a loader that fails leaves the
 * fallback doing everything and is reported once; after close nothing is loaded.
 */
class SignaturesOnFirstUseTest {
    private static final JcaAuthSignatures JDK = new JcaAuthSignatures();
    private static KeyPair p256;
    private final byte[] data = "IKE_AUTH octets".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final List<String> loads = new ArrayList<>();
    private final List<LinkageError> reported = new ArrayList<>();

    @BeforeAll
    static void key() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        p256 = ec.generateKeyPair();
    }

    /** A loader that counts its calls and gives the JDK's signatures in a closeable of its own. */
    private final class CountedSignatures implements AuthSignatures, AutoCloseable {
        boolean closed;

        @Override
        public byte[] sign(String algorithm, java.security.PrivateKey key, byte[] d) throws java.security.GeneralSecurityException {
            loads.add("sign " + algorithm);
            return JDK.sign(algorithm, key, d);
        }

        @Override
        public boolean verify(String algorithm, java.security.PublicKey key, byte[] d, byte[] s)
                throws java.security.GeneralSecurityException {
            loads.add("verify " + algorithm);
            return JDK.verify(algorithm, key, d, s);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void nothingIsLoadedUntilTheFirstSignatureThenOnce() throws Exception {
        CountedSignatures fast = new CountedSignatures();
        int[] calls = {0};
        SignaturesOnFirstUse s = new SignaturesOnFirstUse(() -> {
            calls[0]++;
            return fast;
        }, JDK, reported::add);
        assertFalse(s.loaded());
        assertEquals(0, calls[0]);

        byte[] sig = s.sign("SHA256withECDSA", p256.getPrivate(), data);
        assertTrue(s.verify("SHA256withECDSA", p256.getPublic(), data, sig));
        assertEquals(1, calls[0]);
        assertTrue(s.loaded());
        assertEquals(List.of("sign SHA256withECDSA", "verify SHA256withECDSA"), loads);

        s.close();
        assertTrue(fast.closed);
        assertTrue(JDK.verify("SHA256withECDSA", p256.getPublic(), data, s.sign("SHA256withECDSA", p256.getPrivate(), data)));
        assertEquals(2, loads.size(), "after close the fallback signs");
        assertTrue(reported.isEmpty());
    }

    @Test
    void aLoaderWithoutItsLibraryLeavesTheFallbackAndIsReportedOnce() throws Exception {
        int[] calls = {0};
        SignaturesOnFirstUse s = new SignaturesOnFirstUse(() -> {
            calls[0]++;
            throw new UnsatisfiedLinkError("no libcrypto here");
        }, JDK, reported::add);
        byte[] sig = s.sign("SHA256withECDSA", p256.getPrivate(), data);
        assertTrue(s.verify("SHA256withECDSA", p256.getPublic(), data, sig));
        assertEquals(1, calls[0]);
        assertEquals(1, reported.size());
        assertEquals("no libcrypto here", reported.get(0).getMessage());
        assertFalse(s.loaded());
        s.close();
    }

    @Test
    void closedBeforeAnyUseLoadsNothing() throws Exception {
        int[] calls = {0};
        SignaturesOnFirstUse s = new SignaturesOnFirstUse(() -> {
            calls[0]++;
            return new CountedSignatures();
        }, JDK, reported::add);
        s.close();
        s.sign("SHA256withECDSA", p256.getPrivate(), data);
        assertEquals(0, calls[0]);
    }
}
