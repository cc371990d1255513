package org.mobilevpn.esp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.esp.Hex;

/**
 * {@link AesGcm} against the 18 test cases of McGrew/Viega, "The Galois/Counter Mode of Operation",
 * Appendix B: AES-128/192/256, empty and partial-block plaintexts, with and without AAD, 96-bit, 64-bit
 * and 480-bit IVs (the last two exercise J<sub>0</sub> = GHASH(IV)). Each GHASH variant must produce the
 * published ciphertext and tag, decrypt them, and refuse them with any bit of the tag flipped. The JDK's
 * own AES/GCM is run on the same table as a check of our transcription.
 */
class AesGcmSpecVectorsTest {

    record Case(int number, byte[] key, byte[] iv, byte[] plaintext, byte[] aad, byte[] ciphertext, byte[] tag) {
        @Override
        public String toString() {
            return "test case " + number;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = AesGcmSpecVectorsTest.class.getResourceAsStream("gcm-spec-test-cases.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                cases.add(new Case(Integer.parseInt(f[0]), hex(f[1]), hex(f[2]), hex(f[3]), hex(f[4]), hex(f[5]), hex(f[6])));
            }
        }
        return cases;
    }

    static Stream<Arguments> casesAndVariants() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (Case c : cases()) {
            for (GhashVariant v : GhashVariant.values()) {
                all.add(Arguments.of(c, v));
            }
        }
        return all.stream();
    }

    @Test
    void theTableHoldsAllEighteenCases() throws IOException {
        assertEquals(18, cases().size());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("casesAndVariants")
    void sealsToThePublishedCiphertextAndTag(Case c, GhashVariant variant) {
        try (AesGcm gcm = new AesGcm(c.key(), variant)) {
            byte[] out = new byte[c.plaintext().length];
            byte[] tag = new byte[16];
            gcm.iv(c.iv(), 0, c.iv().length);
            gcm.seal(c.aad(), 0, c.aad().length, c.plaintext(), 0, out, 0, out.length, tag, 0);
            assertArrayEquals(c.ciphertext(), out, "ciphertext");
            assertArrayEquals(c.tag(), tag, "tag");
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("casesAndVariants")
    void opensThePublishedMessageInPlaceAndRefusesEveryFlippedTagBit(Case c, GhashVariant variant) {
        try (AesGcm gcm = new AesGcm(c.key(), variant)) {
            gcm.iv(c.iv(), 0, c.iv().length);
            for (int bit = 0; bit < 128; bit++) {
                byte[] tag = c.tag().clone();
                tag[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
                byte[] buf = c.ciphertext().clone();
                assertFalse(gcm.open(c.aad(), 0, c.aad().length, buf, 0, buf.length, tag, 0, buf, 0), "tag bit " + bit);
                assertArrayEquals(c.ciphertext(), buf, "nothing written before the tag is verified");
            }
            byte[] buf = c.ciphertext().clone();
            assertTrue(gcm.open(c.aad(), 0, c.aad().length, buf, 0, buf.length, c.tag(), 0, buf, 0));
            assertArrayEquals(c.plaintext(), buf);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theJdkAgreesWithOurTranscription(Case c) throws Exception {
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(c.key(), "AES"), new GCMParameterSpec(128, c.iv()));
        jdk.updateAAD(c.aad());
        byte[] sealed = jdk.doFinal(c.plaintext());
        assertArrayEquals(c.ciphertext(), Arrays.copyOf(sealed, c.ciphertext().length));
        assertArrayEquals(c.tag(), Arrays.copyOfRange(sealed, c.ciphertext().length, sealed.length));
    }

    /** GHASH alone, test case 2 (no AAD): H = E(0, 0^128), input = C || lengths block, result as in Appendix B. */
    @Test
    void ghashOfTestCase2() {
        byte[] h = hex("66e94bd4ef8a2c3b884cfa59ca342b2e");
        byte[] c = hex("0388dace60b6a392f328c2b971b2fe78");
        for (GhashVariant v : GhashVariant.values()) {
            Ghash ghash = v.create(h);
            ghash.reset();
            ghash.updatePadded(c, 0, 16);
            ghash.updateLengths(0, 16);
            byte[] out = new byte[16];
            Bytes.putLong(out, 0, ghash.high());
            Bytes.putLong(out, 8, ghash.low());
            assertEquals("f38cbb1ad69223dcc3457ae5b6b0f885", Hex.encode(out), v.toString());
        }
    }

    private static byte[] hex(String s) {
        return s.equals("-") ? new byte[0] : Hex.decode(s);
    }
}
