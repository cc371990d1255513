package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;

/** Every suite, with and without ESN, heap and direct buffers, in place and buffer to buffer. */
class TunnelModeRoundTripTest {

    private final EspTransformFactoryComponent factory = new EspTransformFactoryComponent();

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        TestSas.suites().forEach(suite -> {
            for (boolean esn : new boolean[] {false, true}) {
                for (boolean direct : new boolean[] {false, true}) {
                    cases.add(Arguments.of(suite, esn, direct));
                }
            }
        });
        return cases.stream();
    }

    private static List<byte[]> innerPackets() {
        List<byte[]> packets = new ArrayList<>();
        for (int length : new int[] {28, 29, 30, 31, 32, 33, 47, 64, 100, 512, 1399, 1400, 1500}) {
            packets.add(TestPackets.ipv4(length, length));
        }
        for (int length : new int[] {48, 49, 63, 1280, 1400}) {
            packets.add(TestPackets.ipv6(length, length));
        }
        return packets;
    }

    private static ByteBuffer allocate(boolean direct, int size) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    @ParameterizedTest(name = "{0} esn={1} direct={2}")
    @MethodSource("cases")
    void inPlaceBothWays(TestSas.Suite suite, boolean esn, boolean direct) {
        try (EspEncryptor out = factory.createEncryptor(TestSas.outbound(suite, esn), EspSaListener.NONE);
             EspDecryptor in = factory.createDecryptor(TestSas.inbound(suite, esn), EspSaListener.NONE)) {
            ByteBuffer buffer = allocate(direct, 2048);
            long bytes = 0;
            int count = 0;
            for (byte[] inner : innerPackets()) {
                buffer.clear().position(out.headroom());
                buffer.put(inner).flip().position(out.headroom());
                assertEquals(EspStatus.OK, out.encryptInPlace(buffer));
                assertEquals(0, buffer.position());
                assertEquals(out.outputLength(inner.length), buffer.remaining());
                assertEquals(TestSas.SPI, buffer.getInt(0));
                assertEquals(++count, buffer.getInt(4), "sequence numbers count from 1");
                byte[] wire = new byte[buffer.remaining()];
                buffer.get(0, wire);
                assertNotEquals(Hex.encode(inner), Hex.encode(wire).substring(2 * out.headroom(),
                        2 * (out.headroom() + inner.length)), "payload must be encrypted");

                assertEquals(EspStatus.OK, in.decryptInPlace(buffer));
                byte[] back = new byte[buffer.remaining()];
                buffer.get(buffer.position(), back);
                assertArrayEquals(inner, back);
                bytes += inner.length;
            }
            assertEquals(count, out.counters().packets());
            assertEquals(count, in.counters().packets());
            assertEquals(bytes, out.counters().bytes());
            assertEquals(bytes, in.counters().bytes());
            assertEquals(0, in.counters().dropped());
            assertEquals(count, out.sequenceNumber());
            assertEquals(count, in.sequenceNumber());
        }
    }

    @ParameterizedTest(name = "{0} esn={1} direct={2}")
    @MethodSource("cases")
    void bufferToBufferBothWays(TestSas.Suite suite, boolean esn, boolean direct) {
        try (EspEncryptor out = factory.createEncryptor(TestSas.outbound(suite, esn), EspSaListener.NONE);
             EspDecryptor in = factory.createDecryptor(TestSas.inbound(suite, esn), EspSaListener.NONE)) {
            ByteBuffer innerBuffer = allocate(direct, 2048);
            ByteBuffer sendBuffer = allocate(!direct, 8192);
            ByteBuffer receiveBuffer = allocate(direct, 2048);
            List<byte[]> packets = innerPackets();
            // Several ESP packets back to back in one send buffer, as a GSO batch would hold them.
            List<Integer> ends = new ArrayList<>();
            sendBuffer.position(3);
            for (byte[] inner : packets.subList(0, 5)) {
                innerBuffer.clear();
                innerBuffer.put(inner).flip();
                assertEquals(EspStatus.OK, out.encrypt(innerBuffer, sendBuffer));
                assertEquals(innerBuffer.limit(), innerBuffer.position());
                ends.add(sendBuffer.position());
            }
            int start = 3;
            for (int i = 0; i < ends.size(); i++) {
                ByteBuffer esp = sendBuffer.duplicate();
                esp.limit(ends.get(i)).position(start);
                receiveBuffer.clear().position(1);
                assertEquals(EspStatus.OK, in.decrypt(esp, receiveBuffer));
                assertEquals(esp.limit(), esp.position());
                byte[] back = new byte[receiveBuffer.position() - 1];
                receiveBuffer.get(1, back);
                assertArrayEquals(packets.get(i), back);
                start = ends.get(i);
            }
            assertTrue(in.counters().packets() == 5 && out.counters().packets() == 5);
        }
    }
}
