package org.mobilevpn.esp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilevpn.esp.Hex;

/**
 * AES-GCM ESP packets from draft-mcgrew-gcm-test-01 §4 (test cases for RFC 4106): SPI, sequence number,
 * salt | IV, plaintext (with the ESP trailer) and ciphertext | ICV as published. Every AES-GCM implementation
 * the chooser can pick runs them: the JDK's ({@link JcaAesGcmCipher}) and ours ({@link AesGcmEspCipher}) with
 * either GHASH.
 */
class AesGcmKnownAnswerTest {

    /** Test case 1: AES-128, 64-bit ESN: AAD = SPI 00004321 | seq high 87654321 | seq low 00000000. */
    private static final byte[] KEY_1 = Hex.decode("4c80cdefbb5d10da906ac73c3613a634");
    private static final byte[] SALT_1 = Hex.decode("2e443b68");
    private static final long IV_1 = 0x4956ed7e3b244cfeL;
    private static final String HEADER_1 = "00004321 00000000";
    private static final int SEQ_HIGH_1 = 0x87654321;
    private static final String PLAIN_1 = "45000048699a000080114db7c0a80102c0a801010a9bf15638d3010000010000"
            + "00000000045f736970045f756470037369700963796265726369747902646b00" + "0021000101020201";
    private static final String CIPHER_1 = "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34"
            + "cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce" + "61bc17d768fd9732"
            + "459018148f6cbe722fd04796562dfdb4";

    /** Test case 3: AES-256, 32-bit sequence numbers: AAD = SPI 4a2cbfe3 | seq 00000002. */
    private static final byte[] KEY_3 = Hex.decode("abbccddef00112233445566778899aababbccddef00112233445566778899aab");
    private static final byte[] SALT_3 = Hex.decode("11223344");
    private static final long IV_3 = 0x0102030405060708L;
    private static final String HEADER_3 = "4a2cbfe3 00000002";
    private static final String PLAIN_3 = "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
            + "7002400020bf0000020405b40101040201020201";
    private static final String CIPHER_3 = "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763"
            + "748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831824b4c49" + "15956c96";

    @ParameterizedTest
    @ValueSource(strings = {"JDK", "TABLES", "CONSTANT_TIME", "CLMUL"})
    void sealsEsnTestCase1ToThePublishedBytes(String implementation) {
        byte[] packet = packet(HEADER_1, PLAIN_1, 16);
        try (EspPacketCipher cipher = cipher(implementation, KEY_1, SALT_1, true, true)) {
            cipher.seal(packet, 0, Hex.decode(PLAIN_1).length, IV_1, SEQ_HIGH_1);
        }
        assertArrayEquals(Hex.decode(HEADER_1 + "4956ed7e3b244cfe" + CIPHER_1), packet);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JDK", "TABLES", "CONSTANT_TIME", "CLMUL"})
    void opensEsnTestCase1InPlaceAndRejectsWrongHighBits(String implementation) {
        byte[] published = Hex.decode(HEADER_1 + "4956ed7e3b244cfe" + CIPHER_1);
        int ciphertextLength = published.length - 8 - 8 - 16;
        try (EspPacketCipher cipher = cipher(implementation, KEY_1, SALT_1, true, false)) {
            byte[] wrongHigh = published.clone();
            assertFalse(cipher.open(wrongHigh, 0, ciphertextLength, wrongHigh, 16, SEQ_HIGH_1 + 1),
                    "the ESN high bits are authenticated");
            byte[] packet = published.clone();
            assertTrue(cipher.open(packet, 0, ciphertextLength, packet, 16, SEQ_HIGH_1));
            assertArrayEquals(Hex.decode(PLAIN_1), Arrays.copyOfRange(packet, 16, 16 + ciphertextLength));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"JDK", "TABLES", "CONSTANT_TIME", "CLMUL"})
    void sealsAes256TestCase3ToThePublishedBytes(String implementation) {
        byte[] packet = packet(HEADER_3, PLAIN_3, 16);
        try (EspPacketCipher cipher = cipher(implementation, KEY_3, SALT_3, false, true)) {
            cipher.seal(packet, 0, Hex.decode(PLAIN_3).length, IV_3, 0);
        }
        assertArrayEquals(Hex.decode(HEADER_3 + "0102030405060708" + CIPHER_3), packet);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JDK", "TABLES", "CONSTANT_TIME", "CLMUL"})
    void opensTestCase3OutOfPlaceAndRejectsEveryFlippedByte(String implementation) {
        byte[] published = Hex.decode(HEADER_3 + "0102030405060708" + CIPHER_3);
        int ciphertextLength = published.length - 8 - 8 - 16;
        try (EspPacketCipher cipher = cipher(implementation, KEY_3, SALT_3, false, false)) {
            byte[] out = new byte[ciphertextLength + 5];
            assertTrue(cipher.open(published, 0, ciphertextLength, out, 5, 0));
            assertArrayEquals(Hex.decode(PLAIN_3), Arrays.copyOfRange(out, 5, 5 + ciphertextLength));
            for (int i = 0; i < published.length; i++) {
                byte[] tampered = published.clone();
                tampered[i] ^= 0x01;
                assertFalse(cipher.open(tampered, 0, ciphertextLength, out, 5, 0), "flipped byte " + i);
            }
        }
    }

    private static EspPacketCipher cipher(String implementation, byte[] key, byte[] salt, boolean esn, boolean encrypting) {
        return implementation.equals("JDK") ? new JcaAesGcmCipher(key, salt, esn, encrypting)
                : new AesGcmEspCipher(key, salt, esn, encrypting, GhashVariant.valueOf(implementation));
    }

    private static byte[] packet(String header, String plain, int icv) {
        byte[] h = Hex.decode(header);
        byte[] p = Hex.decode(plain);
        byte[] packet = new byte[h.length + 8 + p.length + icv];
        System.arraycopy(h, 0, packet, 0, h.length);
        System.arraycopy(p, 0, packet, h.length + 8, p.length);
        return packet;
    }
}
