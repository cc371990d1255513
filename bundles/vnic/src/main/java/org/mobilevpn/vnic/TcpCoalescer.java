package org.mobilevpn.vnic;

import java.nio.ByteBuffer;

/**
 * Joins consecutive TCP segments of one flow into a super-packet that goes into the TUN device
 * with a virtio_net_hdr asking for GSO (gso_type TCPV4/TCPV6, NEEDS_CSUM), as a NIC's receive
 * offload would: one write and one trip through the stack instead of one per segment. Segments
 * join only under the rules Linux's own TCP GRO applies (same addresses, ports, ACK number, TCP
 * options and header fields; sequence numbers adjacent; flags ACK, PSH only on the last one;
 * every segment but the last exactly the first one's size), and only with a valid checksum, which
 * is checked here because the kernel recomputes it for the joined packet.
 */
final class TcpCoalescer {
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int MAX_PACKET = 65535;

    /** [virtio_net_hdr][IP header][TCP header][payload...] */
    private final ByteBuffer pending = ByteBuffer.allocateDirect(TunDevice.VNET_HDR_LEN + MAX_PACKET);
    private int length; // of the IP packet
    private int segments;
    private int mss;
    private int lastPayload;
    private int ipHeader;
    private int tcpHeader;
    private boolean ipv6;
    private boolean closed;

    boolean isEmpty() {
        return segments == 0;
    }

    /** Starts a new super-packet from {@code p} (position..limit), or returns false if it cannot start one. */
    boolean start(ByteBuffer p) {
        int at = p.position();
        int len = p.remaining();
        if (!parse(p, at, len) || !checksumValid(p, at, len)) {
            return false;
        }
        int flags = p.get(at + ipHeader + 13) & 0xff;
        int payload = len - ipHeader - tcpHeader;
        if ((flags & ~PSH) != ACK || payload <= 0) {
            return false;
        }
        int h = TunDevice.VNET_HDR_LEN;
        pending.put(h, p, at, len);
        length = len;
        segments = 1;
        mss = payload;
        lastPayload = payload;
        closed = (flags & PSH) != 0;
        return true;
    }

    /** Appends {@code p} if it continues the pending super-packet; false means flush first. */
    boolean append(ByteBuffer p) {
        if (segments == 0 || closed || lastPayload != mss) {
            return false;
        }
        int at = p.position();
        int len = p.remaining();
        int h = TunDevice.VNET_HDR_LEN;
        boolean v6 = ((p.get(at) >> 4) & 0xf) == 6;
        if (v6 != ipv6 || len < ipHeader + tcpHeader) {
            return false;
        }
        int payload = len - ipHeader - tcpHeader;
        if (payload <= 0 || payload > mss || length + payload > MAX_PACKET) {
            return false;
        }
        // IP: everything but length, id and header checksum (IPv4), or but payload length (IPv6)
        if (ipv6) {
            if (p.getInt(at) != pending.getInt(h) || p.getShort(at + 6) != pending.getShort(h + 6)
                    || !same(p, at + 8, h + 8, 32)) {
                return false;
            }
        } else {
            if ((p.get(at) & 0xff) != 0x45 || p.get(at + 1) != pending.get(h + 1)
                    || p.getShort(at + 6) != pending.getShort(h + 6) || p.getShort(at + 8) != pending.getShort(h + 8)
                    || !same(p, at + 12, h + 12, 8)) {
                return false;
            }
        }
        int t = at + ipHeader;
        int pt = h + ipHeader;
        int flags = p.get(t + 13) & 0xff;
        if (p.getInt(t) != pending.getInt(pt) // ports
                || p.getInt(t + 4) != pending.getInt(pt + 4) + (length - ipHeader - tcpHeader) // adjacent sequence
                || p.getInt(t + 8) != pending.getInt(pt + 8) // ack
                || p.get(t + 12) != pending.get(pt + 12) // data offset
                || (flags & ~PSH) != ACK
                || !same(p, t + 20, pt + 20, tcpHeader - 20) // options, e.g. the timestamp
                || !checksumValid(p, at, len)) {
            return false;
        }
        pending.put(h + length, p, t + tcpHeader, payload);
        length += payload;
        segments++;
        lastPayload = payload;
        if ((flags & PSH) != 0) {
            pending.put(pt + 13, (byte) (pending.get(pt + 13) | PSH));
            closed = true;
        }
        return true;
    }

    /**
     * The bytes to write into the TUN device ([virtio_net_hdr][packet]) for what is pending; resets.
     * A single segment goes as it came (its checksum is valid); several go as a GSO super-packet
     * whose TCP checksum field holds the pseudo-header sum (virtio NEEDS_CSUM).
     */
    ByteBuffer take() {
        int h = TunDevice.VNET_HDR_LEN;
        for (int i = 0; i < h; i++) {
            pending.put(i, (byte) 0);
        }
        if (segments > 1) {
            int tcpLength = length - ipHeader;
            long pseudo;
            if (ipv6) {
                pending.putShort(h + 4, (short) tcpLength);
                pseudo = InternetChecksum.add(0, pending, h + 8, 32);
            } else {
                pending.putShort(h + 2, (short) length);
                pending.putShort(h + 10, (short) 0);
                pending.putShort(h + 10, InternetChecksum.finish(InternetChecksum.add(0, pending, h, ipHeader)));
                pseudo = InternetChecksum.add(0, pending, h + 12, 8);
            }
            pending.putShort(h + ipHeader + 16, (short) InternetChecksum.fold(pseudo + 6 + tcpLength));
            pending.put(0, (byte) VirtioPacket.F_NEEDS_CSUM);
            pending.put(1, (byte) (ipv6 ? VirtioPacket.GSO_TCPV6 : VirtioPacket.GSO_TCPV4));
            pending.putShort(2, Short.reverseBytes((short) (ipHeader + tcpHeader)));
            pending.putShort(4, Short.reverseBytes((short) mss));
            pending.putShort(6, Short.reverseBytes((short) ipHeader));
            pending.putShort(8, Short.reverseBytes((short) 16));
        }
        pending.limit(h + length).position(0);
        segments = 0;
        length = 0;
        closed = false;
        return pending;
    }

    /** Restores the buffer for the next packet after {@link #take()}'s bytes were written. */
    void written() {
        pending.clear();
    }

    private boolean parse(ByteBuffer p, int at, int len) {
        if (len < 20) {
            return false;
        }
        int version = (p.get(at) >> 4) & 0xf;
        if (version == 4) {
            if ((p.get(at) & 0xff) != 0x45 || p.get(at + 9) != 6 || (p.getShort(at + 6) & 0x3fff) != 0) {
                return false; // options, not TCP, or a fragment
            }
            ipv6 = false;
            ipHeader = 20;
        } else if (version == 6) {
            if (len < 40 || p.get(at + 6) != 6) {
                return false;
            }
            ipv6 = true;
            ipHeader = 40;
        } else {
            return false;
        }
        if (len < ipHeader + 20) {
            return false;
        }
        tcpHeader = ((p.get(at + ipHeader + 12) >> 4) & 0xf) * 4;
        return tcpHeader >= 20 && len >= ipHeader + tcpHeader;
    }

    /** The TCP checksum over pseudo-header and segment sums to 0xffff. */
    private boolean checksumValid(ByteBuffer p, int at, int len) {
        int tcpLength = len - ipHeader;
        long sum = ipv6 ? InternetChecksum.add(0, p, at + 8, 32) : InternetChecksum.add(0, p, at + 12, 8);
        sum = InternetChecksum.add(sum + 6 + tcpLength, p, at + ipHeader, tcpLength);
        return InternetChecksum.fold(sum) == 0xffff;
    }

    private boolean same(ByteBuffer p, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            if (p.get(a + i) != pending.get(b + i)) {
                return false;
            }
        }
        return true;
    }
}
