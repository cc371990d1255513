package org.mobilevpn.ike.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.ChildSaKeys;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.PrfAlgorithm;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.Prf;
import org.mobilevpn.ike.crypto.PrfPlus;

/**
 * SKEYSEED, prf+ and SK_* (RFC 7296 §2.13, §2.14, §2.17, §2.18). Expected values were computed
 * independently from the RFC's formulas with Python's hmac module for these inputs:
 * Ni = 00..1f, Nr = 20..3f, g^ir = 40..5f, SPIi = 0102030405060708, SPIr = 1112131415161718.
 * (The system test additionally compares derived keys with strongSwan's own.)
 */
class KeyDerivationKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] range(int from) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void ikeSaKeys() {
        Prf prf = CryptoFactory.prf(PrfAlgorithm.HMAC_SHA2_256);
        byte[] skeyseed = IkeKeyDerivation.skeyseed(prf, range(0), range(32), range(64));
        assertEquals("fb7b0d6107cf71fb87cb4f19020bd81cc0f757a8f6a81a8a62c5b6f3a2660ac5", HEX.formatHex(skeyseed));
        try (IkeSaSecrets sk = IkeKeyDerivation.derive(prf, skeyseed, range(0), range(32), 0x0102030405060708L,
                0x1112131415161718L, 32, 32)) {
            assertEquals("0c26341d77313c227236f4aebf29182f0629dbe10e8ac56347f067a8defc22d5", HEX.formatHex(sk.skD()));
            assertEquals("8748594d3353b3e04121026ebf49d4a4907e2ae4eb2a9831832397da89af6f79", HEX.formatHex(sk.skAi()));
            assertEquals("68b67ce3c70fad273ae0bbb34ee581341bbfd3303ab1d48166dde54604d0286b", HEX.formatHex(sk.skAr()));
            assertEquals("d75427665fbbb117f4d9f877d73606ca959fbdb34f746d24f8939191f8d3af60", HEX.formatHex(sk.skEi()));
            assertEquals("fc816d7edfca54ae0e23cdb44dc9e8476619d587774b27a4824b6c47d2e341e5", HEX.formatHex(sk.skEr()));
            assertEquals("7237e03458c7e3e9ef8a55ca566e9ba411bc3eec87b56ee85d17b5e931c8851f", HEX.formatHex(sk.skPi()));
            assertEquals("545cb06e0764651119223b0ac6626f859f5f492fa5d7626c15c16ba4ef98e503", HEX.formatHex(sk.skPr()));

            // Child SA KEYMAT without PFS for AES-GCM-128: 16 octets key + 4 salt per direction.
            try (ChildSaSecrets child = ChildKeyDerivation.derive(prf, sk.skD(), null, range(0), range(32), 20, 0)) {
                assertEquals("2b9b2f8d7f6469c5053114fe8b9f093e4c8d1156", HEX.formatHex(child.encryptionI()));
                assertEquals("c64f995b9b6455e3a98772fa1f7a4aace2fe2358", HEX.formatHex(child.encryptionR()));
                // We initiated: "out" is the initiator's key, salt split off the end.
                try (ChildSaKeys keys = child.toApi(true, EncryptionAlgorithm.AES_GCM_16_128)) {
                    assertArrayEquals(HEX.parseHex("2b9b2f8d7f6469c5053114fe8b9f093e"), keys.out().encryptionKey().toByteArray());
                    assertArrayEquals(HEX.parseHex("4c8d1156"), keys.out().salt().toByteArray());
                    assertArrayEquals(HEX.parseHex("c64f995b9b6455e3a98772fa1f7a4aac"), keys.in().encryptionKey().toByteArray());
                    assertEquals(0, keys.in().integrityKey().length());
                }
                // The peer initiated (e.g. a gateway-started rekey): directions swap.
                try (ChildSaKeys keys = child.toApi(false, EncryptionAlgorithm.AES_GCM_16_128)) {
                    assertArrayEquals(HEX.parseHex("c64f995b9b6455e3a98772fa1f7a4aac"), keys.out().encryptionKey().toByteArray());
                }
            }
            // §2.18: rekeyed IKE SA with another PRF.
            byte[] ni = new byte[32];
            java.util.Arrays.fill(ni, (byte) 0xaa);
            byte[] nr = new byte[32];
            java.util.Arrays.fill(nr, (byte) 0xbb);
            assertEquals("5a951c0ab3f38030193378139aaab34637e680d807e2c2fddd7fde3a93143b4b6106f6a8ef97082744983bad513152bf",
                    HEX.formatHex(IkeKeyDerivation.rekeyedSkeyseed(CryptoFactory.prf(PrfAlgorithm.HMAC_SHA2_384), sk.skD(),
                            range(64), ni, nr)));
        }
    }

    @Test
    void prfPlusIsAPrefixStream() {
        Prf prf = CryptoFactory.prf(PrfAlgorithm.HMAC_SHA2_256);
        byte[] longer = PrfPlus.derive(prf, range(0), range(32), 100);
        byte[] shorter = PrfPlus.derive(prf, range(0), range(32), 33);
        assertArrayEquals(java.util.Arrays.copyOf(longer, 33), shorter);
        // T1 = prf(K, S | 0x01)
        byte[] t1 = prf.compute(range(0), range(32), new byte[] {1});
        assertArrayEquals(t1, java.util.Arrays.copyOf(longer, 32));
    }
}
