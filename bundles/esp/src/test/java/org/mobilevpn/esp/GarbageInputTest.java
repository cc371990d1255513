package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.esp.crypto.Bytes;

/**
 * The inbound path never throws, whatever arrives: random bytes of every length up to 2 KB with our
 * SPI, and valid packets with random bytes overwritten, give a drop status, are counted, and leave the
 * buffers' positions alone. Afterwards the transform still works.
 */
class GarbageInputTest {

    static java.util.stream.Stream<TestSas.Suite> suites() {
        return TestSas.suites();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void garbageIsDroppedWithAStatusNeverAnException(TestSas.Suite suite) {
        Random random = new Random(suite.hashCode());
        EspTransformFactoryComponent factory = new EspTransformFactoryComponent();
        try (EspEncryptor out = factory.createEncryptor(TestSas.outbound(suite, true), EspSaListener.NONE);
             EspDecryptor in = factory.createDecryptor(TestSas.inbound(suite, true), EspSaListener.NONE)) {
            ByteBuffer inner = ByteBuffer.allocateDirect(4096);
            int dropped = 0;
            for (int length = 0; length <= 2048; length += 1 + random.nextInt(7)) {
                byte[] junk = new byte[length];
                random.nextBytes(junk);
                if (length >= 4) {
                    Bytes.putInt(junk, 0, TestSas.SPI);
                }
                ByteBuffer packet = random.nextBoolean() ? ByteBuffer.wrap(junk) : ByteBuffer.allocateDirect(length).put(junk).flip();
                inner.clear();
                EspStatus status = random.nextBoolean() ? in.decryptInPlace(packet) : in.decrypt(packet, inner);
                assertNotEquals(EspStatus.OK, status, "length " + length);
                assertEquals(0, packet.position());
                assertEquals(0, inner.position());
                dropped++;
            }
            byte[] valid = new byte[out.outputLength(500)];
            for (int i = 0; i < 300; i++) {
                ByteBuffer esp = ByteBuffer.wrap(valid);
                assertEquals(EspStatus.OK, out.encrypt(ByteBuffer.wrap(TestPackets.ipv4(500, i)), esp));
                byte[] broken = valid.clone();
                int at = 8 + random.nextInt(broken.length - 8);
                broken[at] ^= (byte) (1 + random.nextInt(255));
                assertNotEquals(EspStatus.OK, in.decryptInPlace(ByteBuffer.wrap(broken)), "byte " + at);
                dropped++;
            }
            assertEquals(dropped, in.counters().dropped());
            ByteBuffer esp = ByteBuffer.wrap(valid);
            assertEquals(EspStatus.OK, out.encrypt(ByteBuffer.wrap(TestPackets.ipv6(200, 3)), esp));
            esp.flip();
            assertEquals(EspStatus.OK, in.decryptInPlace(esp), "still works after the garbage");
        }
    }
}
