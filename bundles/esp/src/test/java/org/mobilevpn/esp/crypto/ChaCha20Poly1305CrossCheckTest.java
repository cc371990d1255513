package org.mobilevpn.esp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our ChaCha20-Poly1305 against the JDK's and Bouncy Castle's on random keys, ESN halves and every
 * payload length from 0 to 300 (all partial-block paths of ChaCha20's 64 and Poly1305's 16 bytes),
 * plus longer packets.
 */
class ChaCha20Poly1305CrossCheckTest {

    @Test
    void sealsExactlyLikeTheJdkAndBouncyCastle() {
        Random random = new Random(99);
        for (int length = 0; length <= 1500; length += length < 300 ? 1 : 97) {
            byte[] key = new byte[32];
            byte[] salt = new byte[4];
            random.nextBytes(key);
            random.nextBytes(salt);
            boolean esn = (length & 1) == 0;
            int seqHigh = random.nextInt();
            long nonce = random.nextLong();
            byte[] packet = new byte[8 + 8 + length + 16];
            random.nextBytes(packet);
            byte[] ours = packet.clone();
            byte[] jdk = packet.clone();
            byte[] bc = packet.clone();
            try (EspPacketCipher a = new ChaCha20Poly1305Cipher(key, salt, esn, true);
                 EspPacketCipher b = new JcaChaCha20Poly1305Cipher(key, salt, esn, true);
                 EspPacketCipher c = new BcChaCha20Poly1305Cipher(key, salt, esn, true)) {
                a.seal(ours, 0, length, nonce, seqHigh);
                b.seal(jdk, 0, length, nonce, seqHigh);
                c.seal(bc, 0, length, nonce, seqHigh);
            }
            assertArrayEquals(jdk, ours, "length " + length);
            assertArrayEquals(bc, ours, "length " + length);

            try (EspPacketCipher opener = new ChaCha20Poly1305Cipher(key, salt, esn, false)) {
                byte[] out = new byte[length];
                assertTrue(opener.open(jdk, 0, length, out, 0, seqHigh), "length " + length);
                assertArrayEquals(Arrays.copyOfRange(packet, 16, 16 + length), out);
                if (length > 0) {
                    jdk[16 + random.nextInt(length)] ^= 4;
                    assertFalse(opener.open(jdk, 0, length, out, 0, seqHigh), "tampered, length " + length);
                }
                if (esn) {
                    assertFalse(opener.open(bc, 0, length, out, 0, seqHigh ^ 1), "ESN high bits, length " + length);
                }
            }
        }
    }
}
