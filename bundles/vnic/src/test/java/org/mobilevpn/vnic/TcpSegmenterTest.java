package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TSO cutting checked against a plain byte-by-byte checksum and the original payload. */
class TcpSegmenterTest {
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;
    private static final int CWR = 0x80;

    /** RFC 1071 the slow way: 16-bit words, end-around carry. */
    static int onesComplementSum(byte[] b, int from, int len, int initial) {
        int sum = initial;
        for (int i = 0; i < len; i += 2) {
            int word = (b[from + i] & 0xff) << 8 | (i + 1 < len ? b[from + i + 1] & 0xff : 0);
            sum += word;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }

    static ByteBuffer ipv4Super(byte[] payload, int flags) {
        ByteBuffer b = ByteBuffer.allocateDirect(20 + 32 + payload.length + 64);
        b.put(0, (byte) 0x45).putShort(2, (short) (20 + 32 + payload.length)).putShort(4, (short) 0x1234);
        b.put(8, (byte) 64).put(9, (byte) 6);
        b.put(12, new byte[] {(byte) 198, 18, 0, 2}).put(16, new byte[] {(byte) 203, 0, 113, 2});
        int t = 20;
        b.putShort(t, (short) 40000).putShort(t + 2, (short) 5001).putInt(t + 4, 0xfffff000).putInt(t + 8, 77);
        b.put(t + 12, (byte) (8 << 4)).put(t + 13, (byte) flags).putShort(t + 14, (short) 500);
        b.putShort(t + 16, (short) 0x4321); // partial checksum from the kernel: must be replaced
        for (int i = 0; i < 12; i++) {
            b.put(t + 20 + i, (byte) (i == 0 ? 1 : i == 1 ? 1 : i == 2 ? 8 : 10)); // NOP NOP timestamp-ish option bytes
        }
        b.put(52, payload);
        return b;
    }

    @Test
    void ipv4SuperPacketBecomesValidSegments() {
        byte[] payload = new byte[4000];
        new Random(1).nextBytes(payload);
        ByteBuffer src = ipv4Super(payload, ACK | PSH | FIN | CWR);
        TcpSegmenter s = new TcpSegmenter();
        assertTrue(s.begin(src, 0, 52 + payload.length, 1448));
        assertEquals(3, s.remaining());

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        ByteBuffer dst = ByteBuffer.allocateDirect(1600);
        int index = 0;
        while (s.hasNext()) {
            dst.clear();
            int n = s.next(dst);
            byte[] seg = new byte[n];
            dst.get(0, seg);
            int len = Math.min(1448, payload.length - index * 1448);
            assertEquals(52 + len, n);
            assertEquals(n, ByteBuffer.wrap(seg).getShort(2) & 0xffff, "IP total length");
            assertEquals(0x1234 + index, ByteBuffer.wrap(seg).getShort(4) & 0xffff, "IP id per segment");
            assertEquals(0xffff, onesComplementSum(seg, 0, 20, 0), "IPv4 header checksum");
            assertEquals(0xfffff000 + index * 1448, ByteBuffer.wrap(seg).getInt(24), "sequence number (wraps)");
            int flags = seg[33] & 0xff;
            boolean last = !s.hasNext();
            assertEquals(last, (flags & FIN) != 0);
            assertEquals(last, (flags & PSH) != 0);
            assertEquals(index == 0, (flags & CWR) != 0);
            assertTrue((flags & ACK) != 0);
            int pseudo = onesComplementSum(seg, 12, 8, 0) + 6 + (n - 20);
            assertEquals(0xffff, onesComplementSum(seg, 20, n - 20, (pseudo & 0xffff) + (pseudo >>> 16)), "TCP checksum");
            joined.write(seg, 52, len);
            index++;
        }
        assertEquals(3, index);
        assertArrayEquals(payload, joined.toByteArray());
        assertEquals(0, s.remaining());
    }

    @Test
    void ipv6SuperPacketGetsPayloadLengthAndChecksum() {
        byte[] payload = new byte[3000];
        new Random(2).nextBytes(payload);
        ByteBuffer b = ByteBuffer.allocateDirect(40 + 20 + payload.length);
        b.put(0, (byte) 0x60).putShort(4, (short) (20 + payload.length)).put(6, (byte) 6).put(7, (byte) 64);
        b.put(8, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        b.put(24, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 1, 0x13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        b.putShort(40, (short) 1).putShort(42, (short) 2).putInt(44, 1000).put(52, (byte) (5 << 4)).put(53, (byte) ACK);
        b.put(60, payload);
        TcpSegmenter s = new TcpSegmenter();
        assertTrue(s.begin(b, 0, b.capacity(), 1220));
        ByteBuffer dst = ByteBuffer.allocateDirect(1500);
        int total = 0;
        while (s.hasNext()) {
            dst.clear();
            int n = s.next(dst);
            byte[] seg = new byte[n];
            dst.get(0, seg);
            assertEquals(n - 40, ByteBuffer.wrap(seg).getShort(4) & 0xffff, "IPv6 payload length");
            assertEquals(1000 + total, ByteBuffer.wrap(seg).getInt(44));
            int pseudo = onesComplementSum(seg, 8, 32, 0) + 6 + (n - 40);
            pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
            assertEquals(0xffff, onesComplementSum(seg, 40, n - 40, pseudo), "TCP checksum over the IPv6 pseudo-header");
            total += n - 60;
        }
        assertEquals(payload.length, total);
    }

    @Test
    void nonTcpIsNotCut() {
        ByteBuffer b = ipv4Super(new byte[100], ACK);
        b.put(9, (byte) 17);
        assertFalse(new TcpSegmenter().begin(b, 0, 152, 1400));
    }

    @Test
    void partialChecksumIsCompleted() {
        // UDP in IPv4 with the pseudo-header sum in the checksum field, as the kernel leaves it.
        byte[] p = new byte[20 + 8 + 33];
        new Random(3).nextBytes(p);
        p[0] = 0x45;
        p[9] = 17;
        ByteBuffer b = ByteBuffer.wrap(p);
        b.putShort(24, (short) (8 + 33));
        int pseudo = onesComplementSum(p, 12, 8, 0) + 17 + 8 + 33;
        pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
        b.putShort(26, (short) pseudo);
        ByteBuffer direct = ByteBuffer.allocateDirect(p.length).put(0, p);
        TcpSegmenter.completeChecksum(direct, 20, 6, p.length);
        byte[] out = new byte[p.length];
        direct.get(0, out);
        int check = onesComplementSum(out, 12, 8, 0) + 17 + 8 + 33;
        check = (check & 0xffff) + (check >>> 16);
        assertEquals(0xffff, onesComplementSum(out, 20, 8 + 33, check), "UDP checksum valid");
    }
}
