package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.esp.crypto.Bytes;
import org.mobilevpn.esp.crypto.EspPacketCipher;

/** Inbound drops by reason (RFC 4303 §3.4): each counted, none moving the buffers or the window. */
class TunnelModeDropTest {

    private final EspTransformFactoryComponent factory = new EspTransformFactoryComponent();

    static java.util.stream.Stream<TestSas.Suite> suites() {
        return TestSas.suites();
    }

    private static byte[] encrypt(EspEncryptor out, byte[] inner) {
        ByteBuffer esp = ByteBuffer.allocate(out.outputLength(inner.length));
        assertEquals(EspStatus.OK, out.encrypt(ByteBuffer.wrap(inner), esp));
        return esp.array();
    }

    private static EspStatus decrypt(EspDecryptor in, byte[] wire) {
        ByteBuffer packet = ByteBuffer.allocateDirect(wire.length);
        packet.put(wire).flip();
        EspStatus status = in.decryptInPlace(packet);
        if (status != EspStatus.OK) {
            assertEquals(0, packet.position(), "position unchanged on " + status);
            assertEquals(wire.length, packet.limit(), "limit unchanged on " + status);
        }
        return status;
    }

    /** An ESP packet we build by hand: any payload and trailer, sealed with the SA's real cipher. */
    private static byte[] craft(EspSa sa, long seq, byte[] payload, byte[] padding, int nextHeader) {
        return craft(sa, seq, payload, padding, padding.length, nextHeader);
    }

    private static byte[] craft(EspSa sa, long seq, byte[] payload, byte[] padding, int padLength, int nextHeader) {
        EspSa sender = new EspSa(sa.childSaId(), sa.spi(), SaDirection.OUTBOUND, sa.encryption(), sa.integrity(),
                sa.keys(), sa.extendedSequenceNumbers(), 0, sa.udpEncapsulation(), sa.lifetime(), 0);
        try (EspPacketCipher cipher = PacketCipherChooser.create(sender)) {
            int plainLength = payload.length + padding.length + 2;
            byte[] packet = new byte[8 + cipher.ivLength() + plainLength + cipher.icvLength()];
            Bytes.putInt(packet, 0, sa.spi());
            Bytes.putInt(packet, 4, (int) seq);
            int at = 8 + cipher.ivLength();
            System.arraycopy(payload, 0, packet, at, payload.length);
            System.arraycopy(padding, 0, packet, at + payload.length, padding.length);
            packet[at + plainLength - 2] = (byte) padLength;
            packet[at + plainLength - 1] = (byte) nextHeader;
            cipher.seal(packet, 0, plainLength, seq, (int) (seq >>> 32));
            return packet;
        }
    }

    private static byte[] defaultPadding(int payloadLength, int block) {
        int align = Math.max(4, block);
        int pad = (align - (payloadLength + 2) % align) % align;
        byte[] padding = new byte[pad];
        for (int i = 0; i < pad; i++) {
            padding[i] = (byte) (i + 1);
        }
        return padding;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void replayedTooOldTamperedTruncatedAndMisaddressedPacketsAreDroppedAndCounted(TestSas.Suite suite) {
        EspSa inboundSa = TestSas.sa(suite, org.mobilevpn.api.esp.SaDirection.INBOUND, false, 0,
                org.mobilevpn.api.esp.EspLifetime.UNLIMITED, 32);
        try (EspEncryptor out = factory.createEncryptor(TestSas.outbound(suite, false), EspSaListener.NONE);
             EspDecryptor in = factory.createDecryptor(inboundSa, EspSaListener.NONE)) {
            byte[][] wire = new byte[40][];
            for (int i = 0; i < wire.length; i++) {
                wire[i] = encrypt(out, TestPackets.ipv4(60 + i, i));
            }
            assertEquals(EspStatus.OK, decrypt(in, wire[39]));
            assertEquals(EspStatus.REPLAY, decrypt(in, wire[39]));
            assertEquals(EspStatus.TOO_OLD, decrypt(in, wire[0]), "seq 1 is 39 behind a 32 window");
            assertEquals(EspStatus.OK, decrypt(in, wire[20]));

            for (int i = 0; i < wire[30].length; i++) {
                byte[] tampered = wire[30].clone();
                tampered[i] ^= 0x10;
                // SPI bytes: another SA's packet. Sequence bytes (31 -> 15, 4127, ...): fresh numbers whose
                // ICV no longer matches, since the sequence number is authenticated.
                assertEquals(i < 4 ? EspStatus.WRONG_SPI : EspStatus.ICV_FAIL, decrypt(in, tampered), "byte " + i);
            }
            assertEquals(EspStatus.OK, decrypt(in, wire[30]), "forgeries did not mark 31 as seen");
            assertEquals(EspStatus.OK, decrypt(in, wire[31]), "nor move the window");

            // Lengths no cipher can have: off the 4-byte (AEAD) or 16-byte (CBC) grid, or shorter than
            // header + IV + one block + ICV. (A cut of a whole block is aligned: that one fails the ICV.)
            for (int cut : new int[] {1, 2, 3, 15, wire[32].length - 8 - 1}) {
                assertEquals(EspStatus.TRUNCATED, decrypt(in, Arrays.copyOf(wire[32], wire[32].length - cut)),
                        "cut " + cut);
            }
            assertEquals(EspStatus.TRUNCATED, decrypt(in, new byte[0]));
            assertEquals(EspStatus.OK, decrypt(in, wire[32]));

            assertEquals(5, in.counters().packets());
            assertEquals(1, in.counters().count(EspStatus.REPLAY));
            assertEquals(1, in.counters().count(EspStatus.TOO_OLD));
            assertEquals(4, in.counters().count(EspStatus.WRONG_SPI));
            assertEquals(6, in.counters().count(EspStatus.TRUNCATED));
            assertEquals(wire[30].length - 4, in.counters().count(EspStatus.ICV_FAIL));
            assertEquals(1 + 1 + 4 + 6 + wire[30].length - 4, in.counters().dropped());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void dummyPacketsAreDroppedSilentlyButMoveTheWindow(TestSas.Suite suite) {
        EspSa inbound = TestSas.inbound(suite, true);
        try (EspDecryptor in = factory.createDecryptor(inbound, EspSaListener.NONE)) {
            byte[] junk = new byte[37];
            byte[] dummy = craft(inbound, 1, junk, defaultPadding(37, suite.encryption().blockSize()), 59);
            assertEquals(EspStatus.DUMMY, decrypt(in, dummy));
            assertEquals(EspStatus.REPLAY, decrypt(in, dummy));
            assertEquals(1, in.counters().count(EspStatus.DUMMY));
            assertEquals(0, in.counters().packets());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void authenticPacketsWithBadTrailersAreDropped(TestSas.Suite suite) {
        EspSa inbound = TestSas.inbound(suite, false);
        int block = suite.encryption().blockSize();
        try (EspDecryptor in = factory.createDecryptor(inbound, EspSaListener.NONE)) {
            byte[] inner = TestPackets.ipv4(41, 0);
            byte[] good = defaultPadding(inner.length, block);
            byte[] bad = good.clone(); // 41 + 2 bytes always need padding to reach 4 or 16
            bad[bad.length - 1] = 9;
            assertEquals(EspStatus.BAD_PADDING, decrypt(in, craft(inbound, 1, inner, bad, 4)));
            byte[] tooLong = craft(inbound, 2, inner, good, 250, 4);
            assertEquals(EspStatus.BAD_PADDING, decrypt(in, tooLong), "pad length beyond the plaintext");
            assertEquals(EspStatus.BAD_NEXT_HEADER, decrypt(in, craft(inbound, 3, inner, good, 17)));
            assertEquals(EspStatus.OK, decrypt(in, craft(inbound, 4, inner, good, 4)));
            assertEquals(EspStatus.OK, decrypt(in, craft(inbound, 5, TestPackets.ipv6(61, 0),
                    defaultPadding(61, block), 41)));
            assertEquals(EspStatus.REPLAY, decrypt(in, craft(inbound, 3, inner, good, 4)),
                    "an authentic packet with a bad trailer still marks its number");
            assertEquals(2, in.counters().packets());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void outboundRefusesNonIpAndShortBuffersWithoutSpendingASequenceNumber(TestSas.Suite suite) {
        try (EspEncryptor out = factory.createEncryptor(TestSas.outbound(suite, false), EspSaListener.NONE);
             EspDecryptor in = factory.createDecryptor(TestSas.inbound(suite, false), EspSaListener.NONE)) {
            byte[] notIp = TestPackets.ipv4(100, 0);
            notIp[0] = 0x15;
            ByteBuffer esp = ByteBuffer.allocate(2000);
            assertEquals(EspStatus.BAD_NEXT_HEADER, out.encrypt(ByteBuffer.wrap(notIp), esp));
            assertEquals(EspStatus.BAD_NEXT_HEADER, out.encrypt(ByteBuffer.allocate(0), esp));
            byte[] inner = TestPackets.ipv4(100, 0);
            ByteBuffer small = ByteBuffer.allocate(out.outputLength(100) - 1);
            ByteBuffer source = ByteBuffer.wrap(inner);
            assertEquals(EspStatus.BUFFER_TOO_SMALL, out.encrypt(source, small));
            assertEquals(0, source.position());
            assertEquals(0, small.position());
            ByteBuffer noHeadroom = ByteBuffer.allocate(2000);
            noHeadroom.put(inner).flip();
            assertEquals(EspStatus.BUFFER_TOO_SMALL, out.encryptInPlace(noHeadroom));
            assertEquals(0, out.sequenceNumber());

            byte[] wire = encrypt(out, inner);
            assertEquals(1, out.sequenceNumber());
            ByteBuffer tooSmallInner = ByteBuffer.allocate(50);
            ByteBuffer espBuffer = ByteBuffer.wrap(wire);
            assertEquals(EspStatus.BUFFER_TOO_SMALL, in.decrypt(espBuffer, tooSmallInner));
            assertEquals(0, espBuffer.position());
            ByteBuffer innerBuffer = ByteBuffer.allocate(200);
            assertEquals(EspStatus.OK, in.decrypt(espBuffer, innerBuffer));
            assertArrayEquals(inner, Arrays.copyOf(innerBuffer.array(), innerBuffer.position()));
            assertEquals(2, out.counters().count(EspStatus.BAD_NEXT_HEADER));
            assertEquals(2, out.counters().count(EspStatus.BUFFER_TOO_SMALL));
        }
    }
}
