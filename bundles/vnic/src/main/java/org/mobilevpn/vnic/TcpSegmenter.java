package org.mobilevpn.vnic;

import java.nio.ByteBuffer;

/**
 * Cuts a TCP super-packet read from a TUN device with TSO enabled (virtio_net_hdr gso_type
 * TCPV4/TCPV6) into packets of at most {@code gso_size} payload bytes, as a NIC's TCP
 * segmentation offload would: each segment gets the headers of the super-packet with its own
 * IP length, IPv4 identification (+1 per segment) and header checksum, TCP sequence number
 * (+payload offset), flags (FIN and PSH only on the last segment, CWR only on the first,
 * RFC 3168 §6.1.2) and a full TCP checksum over the pseudo-header (RFC 793 §3.1, RFC 8200 §8.1).
 */
final class TcpSegmenter {
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private ByteBuffer src;
    private int start;
    private int headerLength;
    private int l4Offset;
    private int payloadLength;
    private int mss;
    private int next;
    private int index;
    private boolean ipv6;

    /**
     * Prepares to cut the packet at {@code src} [start, start+length).
     *
     * @return false when the packet is not a TCP packet this segmenter can cut (then pass it as it is)
     */
    boolean begin(ByteBuffer src, int start, int length, int gsoSize) {
        int version = (src.get(start) >> 4) & 0xf;
        int l4;
        if (version == 4) {
            if (src.get(start + 9) != 6) {
                return false;
            }
            l4 = (src.get(start) & 0x0f) * 4;
            ipv6 = false;
        } else if (version == 6) {
            if (src.get(start + 6) != 6) {
                return false; // extension headers: not produced with TSO by the kernel's TCP
            }
            l4 = 40;
            ipv6 = true;
        } else {
            return false;
        }
        int tcpHeader = ((src.get(start + l4 + 12) >> 4) & 0xf) * 4;
        if (gsoSize <= 0 || l4 + tcpHeader > length) {
            return false;
        }
        this.src = src;
        this.start = start;
        this.l4Offset = l4;
        this.headerLength = l4 + tcpHeader;
        this.payloadLength = length - headerLength;
        this.mss = gsoSize;
        this.next = 0;
        this.index = 0;
        return true;
    }

    /** Segments not yet returned. */
    int remaining() {
        return src == null ? 0 : (payloadLength - next + mss - 1) / mss;
    }

    boolean hasNext() {
        return src != null && next < payloadLength;
    }

    /** Writes the next segment at {@code dst}'s position (moved past it) and returns its length. */
    int next(ByteBuffer dst) {
        int len = Math.min(mss, payloadLength - next);
        boolean last = next + len >= payloadLength;
        int d = dst.position();
        int total = headerLength + len;
        // headers, then this segment's payload
        dst.put(d, src, start, headerLength);
        dst.put(d + headerLength, src, start + headerLength + next, len);

        if (ipv6) {
            dst.putShort(d + 4, (short) (total - 40));
        } else {
            dst.putShort(d + 2, (short) total);
            dst.putShort(d + 4, (short) (src.getShort(start + 4) + index));
            dst.putShort(d + 10, (short) 0);
            dst.putShort(d + 10, InternetChecksum.finish(InternetChecksum.add(0, dst, d, l4Offset)));
        }
        int tcp = d + l4Offset;
        dst.putInt(tcp + 4, src.getInt(start + l4Offset + 4) + next);
        int flags = src.get(start + l4Offset + 13) & 0xff;
        if (!last) {
            flags &= ~(FIN | PSH);
        }
        if (index > 0) {
            flags &= ~CWR;
        }
        dst.put(tcp + 13, (byte) flags);
        dst.putShort(tcp + 16, (short) 0);
        int tcpLength = total - l4Offset;
        long sum = pseudoHeader(dst, d, tcpLength);
        sum = InternetChecksum.add(sum, dst, tcp, tcpLength);
        dst.putShort(tcp + 16, InternetChecksum.finish(sum));

        dst.position(d + total);
        next += len;
        index++;
        if (next >= payloadLength) {
            src = null;
        }
        return total;
    }

    /** Sum of the TCP pseudo-header: addresses, protocol 6, TCP length. */
    private long pseudoHeader(ByteBuffer b, int ip, int tcpLength) {
        long sum;
        if (ipv6) {
            sum = InternetChecksum.add(0, b, ip + 8, 32);
        } else {
            sum = InternetChecksum.add(0, b, ip + 12, 8);
        }
        return sum + 6 + tcpLength;
    }

    /**
     * Completes a checksum the kernel left partial (VIRTIO_NET_HDR_F_NEEDS_CSUM): the field at
     * {@code start+csumOffset} holds the pseudo-header sum; the checksum covers [start, end).
     */
    static void completeChecksum(ByteBuffer b, int csumStart, int csumOffset, int end) {
        long sum = InternetChecksum.add(0, b, csumStart, end - csumStart);
        b.putShort(csumStart + csumOffset, InternetChecksum.finish(sum));
    }
}
