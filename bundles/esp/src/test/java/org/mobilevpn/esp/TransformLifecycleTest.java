package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/** Lifetimes, sequence-number exhaustion and wrap, close, and rebuilding from SA data. */
class TransformLifecycleTest {

    private static final TestSas.Suite GCM = new TestSas.Suite(EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE);
    private static final TestSas.Suite CBC = new TestSas.Suite(EncryptionAlgorithm.AES_CBC_256, IntegrityAlgorithm.HMAC_SHA2_256_128);

    private final EspTransformFactoryComponent factory = new EspTransformFactoryComponent();

    private static EspStatus send(EspEncryptor out, EspDecryptor in, int length) {
        ByteBuffer inner = ByteBuffer.wrap(TestPackets.ipv4(length, length));
        ByteBuffer esp = ByteBuffer.allocate(2048);
        EspStatus status = out.encrypt(inner, esp);
        if (status != EspStatus.OK || in == null) {
            return status;
        }
        esp.flip();
        return in.decryptInPlace(esp);
    }

    @Test
    void packetLifetimesSignalSoftThenHardOnceEachAndThenRefuse() {
        RecordingListener outEvents = new RecordingListener();
        RecordingListener inEvents = new RecordingListener();
        EspLifetime lifetime = new EspLifetime(0, 0, 3, 5);
        try (EspEncryptor out = factory.createEncryptor(TestSas.sa(GCM, SaDirection.OUTBOUND, false, 0, lifetime, 64), outEvents);
             EspDecryptor in = factory.createDecryptor(TestSas.sa(GCM, SaDirection.INBOUND, false, 0, lifetime, 64), inEvents)) {
            for (int i = 1; i <= 5; i++) {
                assertEquals(EspStatus.OK, send(out, in, 100));
                assertEquals(i < 3 ? LifetimeState.ACTIVE : i < 5 ? LifetimeState.SOFT_EXPIRED : LifetimeState.HARD_EXPIRED,
                        out.lifetimeState(), "after packet " + i);
            }
            assertEquals(EspStatus.LIFETIME_EXPIRED, send(out, null, 100));
            assertEquals(List.of("soft PACKETS", "hard PACKETS"), outEvents.events);
            assertEquals(List.of("soft PACKETS", "hard PACKETS"), inEvents.events);
            assertEquals(LifetimeState.HARD_EXPIRED, in.lifetimeState());
            assertEquals(1, out.counters().count(EspStatus.LIFETIME_EXPIRED));
        }
    }

    @Test
    void byteLifetimesCountInnerBytes() {
        RecordingListener events = new RecordingListener();
        EspLifetime lifetime = new EspLifetime(1000, 2500, 0, 0);
        try (EspEncryptor out = factory.createEncryptor(TestSas.sa(CBC, SaDirection.OUTBOUND, false, 0, lifetime, 64), events)) {
            assertEquals(EspStatus.OK, send(out, null, 972));
            assertEquals(LifetimeState.ACTIVE, out.lifetimeState());
            assertEquals(EspStatus.OK, send(out, null, 28));
            assertEquals(LifetimeState.SOFT_EXPIRED, out.lifetimeState(), "1000 bytes");
            assertEquals(EspStatus.OK, send(out, null, 1450));
            assertEquals(EspStatus.OK, send(out, null, 49));
            assertEquals(LifetimeState.SOFT_EXPIRED, out.lifetimeState(), "2499 bytes: under the hard limit");
            assertEquals(EspStatus.OK, send(out, null, 100), "the packet that crosses the hard limit is the last");
            assertEquals(LifetimeState.HARD_EXPIRED, out.lifetimeState());
            assertEquals(EspStatus.LIFETIME_EXPIRED, send(out, null, 100));
            assertEquals(List.of("soft BYTES", "hard BYTES"), events.events);
        }
    }

    @Test
    void without32BitEsnTheLastSequenceNumberIs2To32Minus1() {
        RecordingListener events = new RecordingListener();
        try (EspEncryptor out = factory.createEncryptor(
                TestSas.sa(GCM, SaDirection.OUTBOUND, false, 0xFFFF_FFFDL, EspLifetime.UNLIMITED, 64), events);
             EspDecryptor in = factory.createDecryptor(
                TestSas.sa(GCM, SaDirection.INBOUND, false, 0xFFFF_FFF0L, EspLifetime.UNLIMITED, 64), EspSaListener.NONE)) {
            assertEquals(EspStatus.OK, send(out, in, 60));
            assertEquals(List.of("soft SEQUENCE_NUMBERS"), events.events, "long past 15/16 of the space");
            assertEquals(EspStatus.OK, send(out, in, 60));
            assertEquals(0xFFFF_FFFFL, out.sequenceNumber());
            assertEquals(List.of("soft SEQUENCE_NUMBERS", "hard SEQUENCE_NUMBERS"), events.events);
            assertEquals(EspStatus.SEQUENCE_EXHAUSTED, send(out, in, 60));
            assertEquals(0xFFFF_FFFFL, in.sequenceNumber());
        }
    }

    @Test
    void withEsnTheSenderCrossesTwoToThe32AndTheReceiverFollows() {
        for (TestSas.Suite suite : TestSas.suites().toList()) {
            try (EspEncryptor out = factory.createEncryptor(
                    TestSas.sa(suite, SaDirection.OUTBOUND, true, 0xFFFF_FFFDL, EspLifetime.UNLIMITED, 64), EspSaListener.NONE);
                 EspDecryptor in = factory.createDecryptor(
                    TestSas.sa(suite, SaDirection.INBOUND, true, 0xFFFF_FFF0L, EspLifetime.UNLIMITED, 64), EspSaListener.NONE)) {
                for (int i = 0; i < 6; i++) {
                    assertEquals(EspStatus.OK, send(out, in, 80 + i), suite + " packet " + i);
                }
                assertEquals(0x1_0000_0003L, out.sequenceNumber());
                assertEquals(0x1_0000_0003L, in.sequenceNumber());
                assertEquals(LifetimeState.ACTIVE, out.lifetimeState());
            }
        }
    }

    @Test
    void closedTransformsRefuseAndTheSaDataRebuildsThem() {
        EspSa outboundSa = TestSas.outbound(GCM, false);
        EspSa inboundSa = TestSas.inbound(GCM, false);
        EspEncryptor out = factory.createEncryptor(outboundSa, EspSaListener.NONE);
        EspDecryptor in = factory.createDecryptor(inboundSa, EspSaListener.NONE);
        for (int i = 0; i < 3; i++) {
            assertEquals(EspStatus.OK, send(out, in, 100));
        }
        long sent = out.sequenceNumber();
        long received = in.sequenceNumber();
        out.close();
        in.close();
        assertEquals(EspStatus.CLOSED, send(out, null, 100));
        assertFalse(outboundSa.keys().isClosed(), "closing a transform leaves the SA's keys alone");

        // A successor bundle rebuilds from the same data and carries on without replays.
        try (EspEncryptor out2 = factory.createEncryptor(outboundSa.withInitialSequenceNumber(sent), EspSaListener.NONE);
             EspDecryptor in2 = factory.createDecryptor(inboundSa.withInitialSequenceNumber(received), EspSaListener.NONE)) {
            ByteBuffer esp = ByteBuffer.allocate(2048);
            byte[] inner = TestPackets.ipv4(200, 1);
            assertEquals(EspStatus.OK, out2.encrypt(ByteBuffer.wrap(inner), esp));
            assertEquals(4, esp.getInt(4));
            esp.flip();
            assertEquals(EspStatus.OK, in2.decryptInPlace(esp));
            byte[] back = new byte[esp.remaining()];
            esp.get(back);
            assertArrayEquals(inner, back);
        }
        outboundSa.close();
        assertThrows(IllegalArgumentException.class, () -> factory.createEncryptor(outboundSa, EspSaListener.NONE));
    }

    @Test
    void theFactoryChecksTheDirection() {
        assertThrows(IllegalArgumentException.class,
                () -> factory.createDecryptor(TestSas.outbound(GCM, false), EspSaListener.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> factory.createEncryptor(TestSas.inbound(GCM, false), EspSaListener.NONE));
    }
}
