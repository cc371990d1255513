package org.mobilevpn.api.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/** The SA record: validation, key ownership and wiping, and logs that never show keys. */
class EspSaTest {

    private static final byte[] KEY_AND_SALT = HexFormat.of().parseHex("00112233445566778899aabbccddeeff01020304");

    @Test
    void splitsKeymatAndOwnsItsCopies() {
        byte[] keymat = KEY_AND_SALT.clone();
        EspKeys keys = EspKeys.of(EncryptionAlgorithm.AES_GCM_16_128, keymat, null);
        keymat[0] = 42;
        assertArrayEquals(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"), keys.encryptionKey().toByteArray());
        assertArrayEquals(HexFormat.of().parseHex("01020304"), keys.salt().toByteArray());
        byte[] copy = keys.encryptionKey().toByteArray();
        copy[1] = 9;
        assertEquals(0x11, keys.encryptionKey().toByteArray()[1]);
        assertEquals(0, keys.integrityKey().length());
        EspKeys copied = keys.copy();
        copied.close();
        assertFalse(keys.isClosed(), "a copy is closed on its own");
    }

    @Test
    void closingWipesAndForbidsFurtherUse() {
        EspKeys keys = EspKeys.of(EncryptionAlgorithm.AES_GCM_16_128, KEY_AND_SALT, null);
        EspSa sa = EspSa.of(1, 0x1000, SaDirection.OUTBOUND, EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE, keys, false,
                UdpEncapsulation.DEFAULT);
        sa.close();
        assertTrue(keys.isClosed());
        assertThrows(IllegalStateException.class, () -> keys.encryptionKey().toByteArray());
        assertThrows(IllegalStateException.class, () -> keys.salt().toByteArray());
    }

    @Test
    void toStringNeverShowsKeyBytes() {
        byte[] cbcKey = HexFormat.of().parseHex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0");
        byte[] macKey = HexFormat.of().parseHex("c1c2c3c4c5c6c7c8c9cacbcccdcecfd0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0");
        EspSa sa = EspSa.of(1, 0xC0FFEE01, SaDirection.INBOUND, EncryptionAlgorithm.AES_CBC_128, IntegrityAlgorithm.HMAC_SHA2_256_128,
                EspKeys.copyOf(cbcKey, null, macKey), true, null);
        String text = sa.toString();
        assertTrue(text.contains("c0ffee01"), text);
        for (String secret : new String[] {"a1a2", "A1A2", "c1c2", "C1C2", "-95", "-63"}) {
            assertFalse(text.contains(secret), text);
        }
    }

    @Test
    void rejectsMismatchedAlgorithmsKeysAndRanges() {
        EspKeys gcmKeys = EspKeys.of(EncryptionAlgorithm.AES_GCM_16_128, KEY_AND_SALT, null);
        assertThrows(IllegalArgumentException.class, () -> EspSa.of(1, 0x1000, SaDirection.INBOUND,
                EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, gcmKeys, false, null), "key too short");
        assertThrows(IllegalArgumentException.class, () -> EspSa.of(1, 0x1000, SaDirection.INBOUND,
                EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.HMAC_SHA2_256_128, gcmKeys, false, null), "AEAD + HMAC");
        assertThrows(IllegalArgumentException.class, () -> EspSa.of(1, 255, SaDirection.INBOUND,
                EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE, gcmKeys, false, null), "reserved SPI");
        assertThrows(IllegalArgumentException.class, () -> new EspSa(1, 0x1000, SaDirection.INBOUND,
                EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE, gcmKeys, false, 4097, null, EspLifetime.UNLIMITED, 0));
        assertThrows(IllegalArgumentException.class, () -> new EspSa(1, 0x1000, SaDirection.OUTBOUND,
                EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE, gcmKeys, false, 0, null, EspLifetime.UNLIMITED,
                0x1_0000_0000L), "beyond 32 bits without ESN");
        assertThrows(IllegalArgumentException.class, () -> new EspLifetime(10, 5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpEncapsulation(0, 4500));
    }
}
