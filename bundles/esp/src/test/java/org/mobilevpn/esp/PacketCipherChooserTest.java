package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.esp.crypto.AesGcmEspCipher;
import org.mobilevpn.esp.crypto.EspPacketCipher;
import org.mobilevpn.esp.crypto.JcaAesGcmCipher;

/** The measured default for AES-GCM, and the benchmark switch that overrides it. */
class PacketCipherChooserTest {

    private static final TestSas.Suite GCM_128 = new TestSas.Suite(EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE);
    private static final TestSas.Suite GCM_256 = new TestSas.Suite(EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE);

    private String saved;

    @BeforeEach
    void saveProperty() {
        saved = System.getProperty(PacketCipherChooser.AES_GCM_PROPERTY);
    }

    @AfterEach
    void restoreProperty() { // a run may set it on purpose (-Dmvpn.esp.aesgcm=...) for the other tests
        if (saved == null) {
            System.clearProperty(PacketCipherChooser.AES_GCM_PROPERTY);
        } else {
            System.setProperty(PacketCipherChooser.AES_GCM_PROPERTY, saved);
        }
    }

    @Test
    void aesGcmIsOursByDefaultForBothKeySizesAndDirections() {
        System.clearProperty(PacketCipherChooser.AES_GCM_PROPERTY);
        for (TestSas.Suite suite : new TestSas.Suite[] {GCM_128, GCM_256}) {
            try (EspPacketCipher out = PacketCipherChooser.create(TestSas.outbound(suite, false));
                 EspPacketCipher in = PacketCipherChooser.create(TestSas.inbound(suite, true))) {
                assertInstanceOf(AesGcmEspCipher.class, out);
                assertInstanceOf(AesGcmEspCipher.class, in);
            }
        }
    }

    @Test
    void theDefaultGhashIsTheJdksCarrylessMultiplicationWhichHasNoSecretIndexedTables() {
        System.clearProperty(PacketCipherChooser.AES_GCM_PROPERTY);
        assertEquals("clmul", PacketCipherChooser.aesGcmChoice(), "the tests run with bin/mobilevpn's --add-opens");
    }

    @Test
    void thePropertySelectsTheJdkOrRefusesAnUnknownName() {
        System.setProperty(PacketCipherChooser.AES_GCM_PROPERTY, "jdk");
        try (EspPacketCipher out = PacketCipherChooser.create(TestSas.outbound(GCM_128, false))) {
            assertInstanceOf(JcaAesGcmCipher.class, out);
        }
        System.setProperty(PacketCipherChooser.AES_GCM_PROPERTY, "constant-time");
        try (EspPacketCipher out = PacketCipherChooser.create(TestSas.outbound(GCM_128, false))) {
            assertInstanceOf(AesGcmEspCipher.class, out);
        }
        System.setProperty(PacketCipherChooser.AES_GCM_PROPERTY, "fastest");
        assertThrows(IllegalArgumentException.class, () -> PacketCipherChooser.create(TestSas.outbound(GCM_128, false)));
    }
}
