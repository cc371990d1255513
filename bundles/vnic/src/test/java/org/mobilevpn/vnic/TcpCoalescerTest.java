package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Receive coalescing: segments cut from a super-packet join back into it, with the GSO header the kernel needs. */
class TcpCoalescerTest {

    private static List<ByteBuffer> segments(byte[] payload, int flags, int mss) {
        ByteBuffer src = TcpSegmenterTest.ipv4Super(payload, flags);
        TcpSegmenter s = new TcpSegmenter();
        assertTrue(s.begin(src, 0, 52 + payload.length, mss));
        List<ByteBuffer> out = new ArrayList<>();
        while (s.hasNext()) {
            ByteBuffer d = ByteBuffer.allocateDirect(2000);
            int n = s.next(d);
            d.limit(n).position(0);
            out.add(d);
        }
        return out;
    }

    @Test
    void segmentsJoinIntoOneGsoPacket() {
        byte[] payload = new byte[5000];
        new Random(4).nextBytes(payload);
        List<ByteBuffer> segs = segments(payload, 0x10 | 0x08, 1400); // ACK, PSH on the last
        TcpCoalescer c = new TcpCoalescer();
        assertTrue(c.start(segs.get(0)));
        for (int i = 1; i < segs.size(); i++) {
            assertTrue(c.append(segs.get(i)), "segment " + i);
        }
        ByteBuffer out = c.take();
        int h = TunDevice.VNET_HDR_LEN;
        assertEquals(h + 52 + payload.length, out.remaining());
        assertEquals(VirtioPacket.F_NEEDS_CSUM, out.get(0));
        assertEquals(VirtioPacket.GSO_TCPV4, out.get(1));
        assertEquals(52, Short.reverseBytes(out.getShort(2)), "hdr_len");
        assertEquals(1400, Short.reverseBytes(out.getShort(4)), "gso_size");
        assertEquals(20, Short.reverseBytes(out.getShort(6)), "csum_start");
        assertEquals(16, Short.reverseBytes(out.getShort(8)), "csum_offset");
        byte[] pkt = new byte[52 + payload.length];
        out.get(h, pkt);
        assertEquals(pkt.length, ByteBuffer.wrap(pkt).getShort(2) & 0xffff);
        assertEquals(0xffff, TcpSegmenterTest.onesComplementSum(pkt, 0, 20, 0), "IPv4 header checksum");
        byte[] joined = new byte[payload.length];
        System.arraycopy(pkt, 52, joined, 0, joined.length);
        assertArrayEquals(payload, joined);
        assertEquals(0x18, pkt[33] & 0xff, "PSH of the last segment kept");
        int pseudo = TcpSegmenterTest.onesComplementSum(pkt, 12, 8, 0) + 6 + (pkt.length - 20);
        pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
        assertEquals(pseudo, ByteBuffer.wrap(pkt).getShort(36) & 0xffff, "checksum field holds the pseudo-header sum");
        c.written();
        assertTrue(c.isEmpty());
    }

    @Test
    void aGapOrACorruptSegmentIsNotJoined() {
        byte[] payload = new byte[4200];
        new Random(5).nextBytes(payload);
        List<ByteBuffer> segs = segments(payload, 0x10, 1400);
        TcpCoalescer c = new TcpCoalescer();
        assertTrue(c.start(segs.get(0)));
        assertFalse(c.append(segs.get(2)), "sequence gap");
        ByteBuffer bad = segs.get(1);
        bad.put(100, (byte) (bad.get(100) ^ 1));
        assertFalse(c.append(bad), "bad TCP checksum");
        ByteBuffer single = c.take();
        assertEquals(0, single.get(1), "one segment goes without GSO");
        assertEquals(TunDevice.VNET_HDR_LEN + 52 + 1400, single.remaining());
    }

    @Test
    void syncAndNonTcpDoNotStart() {
        byte[] payload = new byte[100];
        ByteBuffer syn = segments(payload, 0x02, 1400).get(0);
        assertFalse(new TcpCoalescer().start(syn));
    }
}
