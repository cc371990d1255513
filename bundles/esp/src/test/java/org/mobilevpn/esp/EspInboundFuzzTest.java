package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.esp.crypto.Bytes;

/**
 * Coverage-guided fuzzing of the inbound ESP path (RFC 4303 §3.4): decryption and the anti-replay window of
 * one SA, with a cipher suite, ESN and window size the fuzzer picks, fed a sequence of genuine packets (any
 * sequence number, in any order, again and again), genuine packets with octets changed or cut, and arbitrary
 * octets under our SPI. The oracle is the window as RFC 4303 §3.4.3 states it: a genuine packet is accepted
 * exactly when its number is new and not left of the window, and nothing else is ever accepted. Inputs and
 * findings: src/test/resources/org/mobilevpn/esp/EspInboundFuzzTestInputs/inbound.
 */
class EspInboundFuzzTest {
    private static final List<TestSas.Suite> SUITES = TestSas.suites().toList();
    private static final EspTransformFactoryComponent FACTORY = new EspTransformFactoryComponent();

    @FuzzTest
    void inbound(FuzzedDataProvider in) {
        TestSas.Suite suite = SUITES.get(in.consumeInt(0, SUITES.size() - 1));
        boolean esn = in.consumeBoolean();
        int window = in.consumeInt(0, 4096);
        Set<Long> accepted = new HashSet<>();
        long top = 0;
        try (EspDecryptor rx = FACTORY.createDecryptor(TestSas.sa(suite, SaDirection.INBOUND, esn, 0,
                EspLifetime.UNLIMITED, window), EspSaListener.NONE)) {
            for (int step = 0; step < 48 && in.remainingBytes() > 0; step++) {
                switch (in.consumeInt(0, 2)) {
                    case 0 -> { // a genuine packet: number near the window's top, or (32-bit numbers) anywhere;
                        // ESN numbers far from the top cannot be inferred from their low half (RFC 4303 A2)
                        long seq = esn || in.consumeBoolean() ? top + in.consumeLong(-(window + 64L), 1L << 20)
                                : in.consumeLong(0, 0xFFFF_FFFFL);
                        if (seq < 1 || (!esn && seq > 0xFFFF_FFFFL)) {
                            continue;
                        }
                        byte[] inner = TestPackets.ipv4(28 + in.consumeInt(0, 200), (int) seq);
                        byte[] packet = genuine(suite, esn, seq, inner);
                        ByteBuffer buf = ByteBuffer.wrap(packet);
                        EspStatus status = rx.decryptInPlace(buf);
                        boolean fresh = window == 0 ? !esn || seq > top - (1L << 31)
                                : seq > top || (top - seq < window && !accepted.contains(seq));
                        if (fresh) {
                            assertEquals(EspStatus.OK, status, "genuine packet " + seq + ", top " + top);
                            assertArrayEquals(inner, Arrays.copyOfRange(packet, buf.position(), buf.limit()));
                            accepted.add(seq);
                            top = Math.max(top, seq);
                        } else {
                            assertNotEquals(EspStatus.OK, status, "replayed or too old " + seq + ", top " + top);
                        }
                    }
                    case 1 -> { // a genuine packet with octets changed or cut off: never accepted
                        if (!esn && top == 0xFFFF_FFFFL) {
                            continue; // the peer has no next number to send without ESN (RFC 4303 3.3.3)
                        }
                        byte[] packet = genuine(suite, esn, top + 1, TestPackets.ipv4(60, 1));
                        byte[] broken = in.consumeBoolean() ? Arrays.copyOf(packet, in.consumeInt(0, packet.length - 1))
                                : packet;
                        if (broken == packet) {
                            int at = in.consumeInt(0, packet.length - 1);
                            broken[at] ^= (byte) in.consumeInt(1, 255);
                        }
                        assertNotEquals(EspStatus.OK, rx.decryptInPlace(ByteBuffer.wrap(broken)));
                    }
                    default -> { // anything under our SPI
                        byte[] junk = in.consumeBytes(in.consumeInt(0, 1600));
                        if (junk.length >= 4) {
                            Bytes.putInt(junk, 0, TestSas.SPI);
                        }
                        ByteBuffer out = ByteBuffer.allocate(2048);
                        assertNotEquals(EspStatus.OK, rx.decrypt(ByteBuffer.wrap(junk), out));
                        assertEquals(0, out.position());
                    }
                }
            }
        }
    }

    /** The packet the peer sends as number {@code seq}. */
    private static byte[] genuine(TestSas.Suite suite, boolean esn, long seq, byte[] inner) {
        try (EspEncryptor tx = FACTORY.createEncryptor(TestSas.sa(suite, SaDirection.OUTBOUND, esn, seq - 1,
                EspLifetime.UNLIMITED, 0), EspSaListener.NONE)) {
            ByteBuffer esp = ByteBuffer.allocate(tx.outputLength(inner.length));
            assertEquals(EspStatus.OK, tx.encrypt(ByteBuffer.wrap(inner), esp));
            return Arrays.copyOf(esp.array(), esp.position());
        }
    }
}
