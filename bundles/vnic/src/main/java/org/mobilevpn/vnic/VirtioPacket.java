package org.mobilevpn.vnic;

import java.nio.ByteBuffer;

/**
 * A packet read from a TUN device with IFF_VNET_HDR: a struct virtio_net_hdr (virtio spec
 * §5.1.6, little-endian: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset) and the IP
 * packet. Plain packets get their partial checksum completed (F_NEEDS_CSUM); TCP super-packets
 * (GSO_TCPV4/TCPV6) are handed to the {@link TcpSegmenter}.
 */
final class VirtioPacket {
    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    static final int GSO_ECN = 0x80;

    private VirtioPacket() {
    }

    /**
     * Unpacks what a read put at [0, length) of {@code raw} into {@code dst} (one packet, or the
     * first segment of a super-packet; the segmenter keeps the rest).
     *
     * @return the length written to dst, or -1 when the packet was dropped
     */
    static int unpack(ByteBuffer raw, int length, TcpSegmenter segmenter, ByteBuffer dst) {
        int h = TunDevice.VNET_HDR_LEN;
        if (length <= h) {
            return -1;
        }
        int flags = raw.get(0) & 0xff;
        int gsoType = raw.get(1) & 0xff & ~GSO_ECN;
        int gsoSize = Short.toUnsignedInt(Short.reverseBytes(raw.getShort(4)));
        int csumStart = Short.toUnsignedInt(Short.reverseBytes(raw.getShort(6)));
        int csumOffset = Short.toUnsignedInt(Short.reverseBytes(raw.getShort(8)));
        if (gsoType == GSO_NONE) {
            if ((flags & F_NEEDS_CSUM) != 0) {
                if (h + csumStart + csumOffset + 2 > length) {
                    return -1;
                }
                TcpSegmenter.completeChecksum(raw, h + csumStart, csumOffset, length);
            }
            int n = length - h;
            int d = dst.position();
            dst.put(d, raw, h, n);
            dst.position(d + n);
            return n;
        }
        if ((gsoType == GSO_TCPV4 || gsoType == GSO_TCPV6) && segmenter.begin(raw, h, length - h, gsoSize)) {
            return segmenter.next(dst);
        }
        return -1;
    }
}
