package org.mobilevpn.esp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Randomised differential test of our AES-GCM against the JDK's AES/GCM (an independent implementation):
 * thousands of random keys (128/192/256), IVs (mostly 96-bit, some of other lengths), AAD and message
 * lengths (0, below, at and across block and keystream-batch boundaries), both directions, and tampered
 * messages, which must be refused. Then the same for whole ESP packets: {@link AesGcmEspCipher} against
 * {@link JcaAesGcmCipher}, with and without ESN.
 */
class AesGcmCrossCheckTest {

    private static final int[] KEY_LENGTHS = {16, 24, 32};

    @ParameterizedTest
    @EnumSource(GhashVariant.class)
    void agreesWithTheJdkBothWaysAndRefusesTamperedMessages(GhashVariant variant) throws Exception {
        Random random = new Random(4106L + variant.ordinal());
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        for (int i = 0; i < 2000; i++) {
            byte[] key = bytes(random, KEY_LENGTHS[random.nextInt(3)]);
            byte[] iv = bytes(random, random.nextInt(5) == 0 ? 1 + random.nextInt(40) : 12);
            byte[] aad = bytes(random, random.nextInt(4) == 0 ? 0 : random.nextInt(48));
            byte[] plain = bytes(random, length(random));
            int offset = random.nextInt(9);

            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            jdk.updateAAD(aad);
            byte[] expected = jdk.doFinal(plain);

            try (AesGcm gcm = new AesGcm(key, variant)) {
                // ours seals (out of place, at an offset) exactly what the JDK sealed
                byte[] out = new byte[offset + plain.length + 16];
                gcm.iv(iv, 0, iv.length);
                gcm.seal(aad, 0, aad.length, plain, 0, out, offset, plain.length, out, offset + plain.length);
                assertArrayEquals(expected, Arrays.copyOfRange(out, offset, out.length), "seal #" + i);

                // ours opens (in place) what the JDK sealed
                byte[] buf = expected.clone();
                assertTrue(gcm.open(aad, 0, aad.length, buf, 0, plain.length, buf, plain.length, buf, 0), "open #" + i);
                assertArrayEquals(plain, Arrays.copyOf(buf, plain.length));

                // ours refuses a flipped bit anywhere in ciphertext, tag or AAD
                byte[] tampered = expected.clone();
                byte[] tamperedAad = aad.clone();
                int where = random.nextInt(tampered.length + tamperedAad.length);
                if (where < tampered.length) {
                    tampered[where] ^= (byte) (1 << random.nextInt(8));
                } else {
                    tamperedAad[where - tampered.length] ^= (byte) (1 << random.nextInt(8));
                }
                byte[] sink = new byte[plain.length];
                assertFalse(gcm.open(tamperedAad, 0, tamperedAad.length, tampered, 0, plain.length, tampered,
                        plain.length, sink, 0), "tampered #" + i);
            }

            // and the JDK opens what ours sealed (covered by equality above, checked once more end to end)
            if (i % 50 == 0) {
                try (AesGcm gcm = new AesGcm(key, variant)) {
                    byte[] out = new byte[plain.length + 16];
                    gcm.iv(iv, 0, iv.length);
                    gcm.seal(aad, 0, aad.length, plain, 0, out, 0, plain.length, out, plain.length);
                    jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
                    jdk.updateAAD(aad);
                    assertArrayEquals(plain, jdk.doFinal(out));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GhashVariant.class)
    void espPacketsInteroperateWithTheJdkCipher(GhashVariant variant) {
        Random random = new Random(4303L + variant.ordinal());
        for (int i = 0; i < 600; i++) {
            byte[] key = bytes(random, random.nextBoolean() ? 16 : 32);
            byte[] salt = bytes(random, 4);
            boolean esn = random.nextBoolean();
            int payload = 4 * (1 + random.nextInt(i % 10 == 0 ? 1000 : 380));
            long seq = random.nextLong() >>> (esn ? 1 : 32);
            int seqHigh = (int) (seq >>> 32);
            byte[] plain = bytes(random, payload);
            byte[] packet = new byte[16 + payload + 16];
            Bytes.putInt(packet, 0, random.nextInt());
            Bytes.putInt(packet, 4, (int) seq);
            System.arraycopy(plain, 0, packet, 16, payload);
            byte[] copy = packet.clone();

            try (EspPacketCipher ours = new AesGcmEspCipher(key, salt, esn, true, variant);
                 EspPacketCipher jdk = new JcaAesGcmCipher(key, salt, esn, true);
                 EspPacketCipher oursIn = new AesGcmEspCipher(key, salt, esn, false, variant);
                 EspPacketCipher jdkIn = new JcaAesGcmCipher(key, salt, esn, false)) {
                ours.seal(packet, 0, payload, seq, seqHigh);
                jdk.seal(copy, 0, payload, seq, seqHigh);
                assertArrayEquals(copy, packet, "packet #" + i + (esn ? " (ESN)" : ""));

                byte[] out = new byte[payload];
                assertTrue(jdkIn.open(packet, 0, payload, out, 0, seqHigh));
                assertArrayEquals(plain, out);
                Arrays.fill(out, (byte) 0);
                assertTrue(oursIn.open(copy, 0, payload, out, 0, seqHigh));
                assertArrayEquals(plain, out);
                if (esn) {
                    assertFalse(oursIn.open(copy, 0, payload, out, 0, seqHigh ^ 1), "ESN high bits are authenticated");
                }
                copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                assertFalse(oursIn.open(copy, 0, payload, out, 0, seqHigh), "tampered packet #" + i);
            }
        }
    }

    /** Message lengths: small, around the 16-byte block, around the 2048-byte keystream batch, large. */
    private static int length(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return random.nextInt(17);
            case 1:
                return 16 * (1 + random.nextInt(8)) + random.nextInt(3) - 1;
            case 2:
                return AesCtrKeystream.BATCH + random.nextInt(40) - 20;
            case 3:
                return 2 * AesCtrKeystream.BATCH + random.nextInt(3000);
            default:
                return random.nextInt(1600);
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
