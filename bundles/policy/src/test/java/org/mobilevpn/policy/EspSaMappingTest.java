package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.ChildSaKeys;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.TrafficSelector;

class EspSaMappingTest {

    private static byte[] fill(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private static ChildSaInfo cbc(NatState nat) {
        ChildSaKeys keys = new ChildSaKeys(EspKeys.copyOf(fill(16, 1), null, fill(32, 2)),
                EspKeys.copyOf(fill(16, 3), null, fill(32, 4)));
        return new ChildSaInfo(0xc1000001, 0xc2000002, EncryptionAlgorithm.AES_CBC_128,
                IntegrityAlgorithm.HMAC_SHA2_256_128, true, keys, List.of(TrafficSelector.ANY_IPV4),
                List.of(TrafficSelector.ANY_IPV4), List.of(), List.of(), Duration.ofHours(1), Duration.ofHours(2), nat,
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
        assertEquals(EncryptionAlgorithm.AES_CBC_128, in.encryption());
        assertEquals(IntegrityAlgorithm.HMAC_SHA2_256_128, in.integrity());
        assertEquals(true, in.extendedSequenceNumbers());
        assertArrayEquals(fill(16, 1), in.keys().encryptionKey().toByteArray());
        assertArrayEquals(fill(32, 2), in.keys().integrityKey().toByteArray());
        assertArrayEquals(fill(16, 3), out.keys().encryptionKey().toByteArray());
        assertArrayEquals(fill(32, 4), out.keys().integrityKey().toByteArray());
        assertEquals(4500, in.udpEncapsulation().localPort());
        assertEquals(4501, in.udpEncapsulation().remotePort(), "a NAT may change the gateway's port");
        info.close();
        assertArrayEquals(fill(16, 1), in.keys().encryptionKey().toByteArray(),
                "the records own copies: wiping the engine's record keeps them");
    }

    @Test
    void withoutNatEspIsPlain() {
        assertNull(EspSaMapping.inbound(1, cbc(NatState.none())).udpEncapsulation());
    }
}
