package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.esp.EspEncryption;
import org.mobilevpn.api.esp.EspIntegrity;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.ChildSaKeys;
import org.mobilevpn.api.ike.EncryptionAlgorithm;
import org.mobilevpn.api.ike.IntegrityAlgorithm;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.api.ike.SecretBytes;
import org.mobilevpn.api.ike.TrafficSelector;

class EspSaMappingTest {

    private static SecretBytes fill(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return SecretBytes.copyOf(b);
    }

    private static ChildSaInfo cbc(NatState nat) {
        ChildSaKeys keys = new ChildSaKeys(fill(16, 1), SecretBytes.empty(), fill(32, 2), fill(16, 3), SecretBytes.empty(),
                fill(32, 4));
        return new ChildSaInfo(0xc1000001, 0xc2000002, EncryptionAlgorithm.AES_CBC, 128,
                IntegrityAlgorithm.HMAC_SHA2_256_128, true, keys, List.of(TrafficSelector.anyIpv4()),
                List.of(TrafficSelector.anyIpv4()), List.of(), List.of(), Duration.ofHours(1), Duration.ofHours(2), nat,
                new java.net.InetSocketAddress(Fakes.ip("198.19.0.2"), 4500),
                new java.net.InetSocketAddress(Fakes.ip("198.51.100.1"), 4501));
    }

    @Test
    void eachDirectionGetsItsSpiAndItsKeys() {
        ChildSaInfo info = cbc(new NatState(true, false, false));
        EspSa in = EspSaMapping.inbound(9, info);
        EspSa out = EspSaMapping.outbound(9, info);
        assertEquals(SaDirection.INBOUND, in.direction());
        assertEquals(0xc1000001, in.spi());
        assertEquals(0xc2000002, out.spi());
        assertEquals(9, out.childSaId());
        assertEquals(EspEncryption.AES_CBC_128, in.encryption());
        assertEquals(EspIntegrity.HMAC_SHA2_256_128, in.integrity());
        assertEquals(true, in.extendedSequenceNumbers());
        assertArrayEquals(fill(16, 1).toByteArray(), in.keys().encryptionKey());
        assertArrayEquals(fill(32, 2).toByteArray(), in.keys().integrityKey());
        assertArrayEquals(fill(16, 3).toByteArray(), out.keys().encryptionKey());
        assertArrayEquals(fill(32, 4).toByteArray(), out.keys().integrityKey());
        assertEquals(4500, in.udpEncapsulation().localPort());
        assertEquals(4501, in.udpEncapsulation().remotePort(), "a NAT may change the gateway's port");
        info.close();
        assertEquals(16, in.keys().encryptionKey().length, "the records own copies: wiping the engine's record keeps them");
    }

    @Test
    void withoutNatEspIsPlain() {
        assertNull(EspSaMapping.inbound(1, cbc(NatState.none())).udpEncapsulation());
    }

    @Test
    void everyNegotiableSuiteMapsAndOthersAreNamed() {
        assertEquals(EspEncryption.AES_GCM_16_128, EspSaMapping.encryption(EncryptionAlgorithm.AES_GCM_16, 128));
        assertEquals(EspEncryption.AES_GCM_16_256, EspSaMapping.encryption(EncryptionAlgorithm.AES_GCM_16, 256));
        assertEquals(EspEncryption.AES_CBC_256, EspSaMapping.encryption(EncryptionAlgorithm.AES_CBC, 256));
        assertEquals(EspEncryption.CHACHA20_POLY1305, EspSaMapping.encryption(EncryptionAlgorithm.CHACHA20_POLY1305, 256));
        for (IntegrityAlgorithm a : IntegrityAlgorithm.values()) {
            assertEquals(a.name(), EspSaMapping.integrity(a).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EspSaMapping.encryption(EncryptionAlgorithm.AES_GCM_16, 192));
        assertEquals("the data path has no AES_GCM_16 with 192-bit keys", e.getMessage());
    }
}
