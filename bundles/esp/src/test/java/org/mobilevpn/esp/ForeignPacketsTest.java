package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/** The whole inbound path on a packet someone else produced: the ESP example of RFC 7634 Appendix A. */
class ForeignPacketsTest {

    @Test
    void decryptsTheRfc7634ExamplePacketThroughTheFactoryTransform() {
        byte[] keymat = Hex.decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f a0a1a2a3");
        EspSa sa = new EspSa(1, 0x01020304, SaDirection.INBOUND, EncryptionAlgorithm.CHACHA20_POLY1305, IntegrityAlgorithm.NONE,
                EspKeys.of(EncryptionAlgorithm.CHACHA20_POLY1305, keymat, null), false, 64, null, EspLifetime.UNLIMITED, 0);
        byte[] wire = Hex.decode("01020304 00000005" + RfcVectors.RFC7634_ESP_PAYLOAD);
        try (EspDecryptor in = new EspTransformFactoryComponent().createDecryptor(sa, EspSaListener.NONE)) {
            ByteBuffer packet = ByteBuffer.allocateDirect(wire.length);
            packet.put(wire).flip();
            assertEquals(EspStatus.OK, in.decryptInPlace(packet));
            byte[] inner = new byte[packet.remaining()];
            packet.get(inner);
            assertArrayEquals(Hex.decode(RfcVectors.RFC7634_INNER), inner, "the 84-byte ICMP echo request");
            assertEquals(5, in.sequenceNumber());

            packet.clear();
            packet.put(wire).flip();
            assertEquals(EspStatus.REPLAY, in.decryptInPlace(packet));
        }
    }
}
