package org.mobilevpn.esp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.esp.Hex;
import org.mobilevpn.esp.RfcVectors;

/**
 * The ESP example of RFC 7634 Appendix A, through both ChaCha20-Poly1305 implementations: KEYMAT
 * 80..9f | salt a0a1a2a3, SPI 01020304, sequence number 5, IV 1011121314151617, an 84-byte ICMP packet
 * with 2 bytes of padding and next header 4.
 */
class ChaCha20Poly1305KnownAnswerTest {

    static final byte[] KEY = Hex.decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    static final byte[] SALT = Hex.decode("a0a1a2a3");
    static final String HEADER = "01020304 00000005";
    static final long IV = 0x1011121314151617L;
    static final String INNER = RfcVectors.RFC7634_INNER;
    static final String TRAILER = "01020204";
    static final String ESP_PAYLOAD = RfcVectors.RFC7634_ESP_PAYLOAD;

    @SuppressWarnings("unchecked")
    static Stream<Function<Boolean, EspPacketCipher>> implementations() {
        return Stream.of(
                encrypting -> new ChaCha20Poly1305Cipher(KEY, SALT, false, encrypting),
                encrypting -> new BcChaCha20Poly1305Cipher(KEY, SALT, false, encrypting),
                encrypting -> new JcaChaCha20Poly1305Cipher(KEY, SALT, false, encrypting));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void sealsToTheRfcBytes(Function<Boolean, EspPacketCipher> implementation) {
        byte[] plain = Hex.decode(INNER + TRAILER);
        byte[] packet = new byte[8 + 8 + plain.length + 16];
        System.arraycopy(Hex.decode(HEADER), 0, packet, 0, 8);
        System.arraycopy(plain, 0, packet, 16, plain.length);
        try (EspPacketCipher cipher = implementation.apply(true)) {
            cipher.seal(packet, 0, plain.length, IV, 0);
        }
        assertArrayEquals(Hex.decode(HEADER + ESP_PAYLOAD), packet);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void opensTheRfcPacketAndRejectsTampering(Function<Boolean, EspPacketCipher> implementation) {
        byte[] published = Hex.decode(HEADER + ESP_PAYLOAD);
        int ciphertextLength = published.length - 8 - 8 - 16;
        try (EspPacketCipher cipher = implementation.apply(false)) {
            byte[] packet = published.clone();
            assertTrue(cipher.open(packet, 0, ciphertextLength, packet, 16, 0));
            assertArrayEquals(Hex.decode(INNER + TRAILER), Arrays.copyOfRange(packet, 16, 16 + ciphertextLength));
            for (int i : new int[] {0, 4, 7, 8, 15, 16, 60, published.length - 17, published.length - 1}) {
                byte[] tampered = published.clone();
                tampered[i] ^= (byte) 0x80;
                assertFalse(cipher.open(tampered, 0, ciphertextLength, tampered, 16, 0), "flipped byte " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void esnHighBitsEnterTheAad(Function<Boolean, EspPacketCipher> ignored) {
        // Both implementations with ESN must agree with each other and differ from the non-ESN packet.
        byte[] plain = Hex.decode(INNER + TRAILER);
        byte[] a = new byte[8 + 8 + plain.length + 16];
        System.arraycopy(Hex.decode(HEADER), 0, a, 0, 8);
        System.arraycopy(plain, 0, a, 16, plain.length);
        byte[] b = a.clone();
        byte[] c = a.clone();
        try (EspPacketCipher bc = new BcChaCha20Poly1305Cipher(KEY, SALT, true, true);
             EspPacketCipher jca = new JcaChaCha20Poly1305Cipher(KEY, SALT, true, true);
             EspPacketCipher own = new ChaCha20Poly1305Cipher(KEY, SALT, true, true)) {
            bc.seal(a, 0, plain.length, IV, 7);
            jca.seal(b, 0, plain.length, IV, 7);
            own.seal(c, 0, plain.length, IV, 7);
        }
        assertArrayEquals(a, b);
        assertArrayEquals(a, c);
        assertFalse(Arrays.equals(Hex.decode(HEADER + ESP_PAYLOAD), a), "ICV must cover the high bits");
        try (EspPacketCipher in = new BcChaCha20Poly1305Cipher(KEY, SALT, true, false)) {
            assertFalse(in.open(a.clone(), 0, plain.length, new byte[plain.length], 0, 6));
            assertTrue(in.open(a, 0, plain.length, new byte[plain.length], 0, 7));
        }
    }
}
