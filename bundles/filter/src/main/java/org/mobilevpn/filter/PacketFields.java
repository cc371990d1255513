package org.mobilevpn.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The selector fields of one IP packet (RFC 4301 §4.4.1.1): addresses, next-layer protocol and ports,
 * parsed from a raw IPv4 (RFC 791) or IPv6 (RFC 8200) packet. Mutable and reused per thread so a lookup
 * allocates nothing. Addresses are 128-bit (hi, lo) pairs; IPv4 sits in the low 32 bits of lo.
 *
 * <p>Ports are the TCP/UDP/SCTP/UDP-Lite ports, or for ICMP/ICMPv6 type (high byte) and code (low byte)
 * as IKEv2 encodes them (RFC 7296 §3.13.1). Non-initial fragments and protocols without ports leave
 * {@link #portsKnown} false (RFC 4301 §4.4.1.1 OPAQUE): such packets only match selectors covering all ports.
 */
final class PacketFields {

    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMPV6 = 58;
    static final int SCTP = 132;
    static final int UDP_LITE = 136;

    boolean ipv6;
    int protocol;
    long sourceHi;
    long sourceLo;
    long destinationHi;
    long destinationLo;
    boolean portsKnown;
    int sourcePort;
    int destinationPort;

    /** Parses the packet at position..limit without moving it; false if it is not well-formed IP. */
    boolean parse(ByteBuffer packet) {
        int start = packet.position();
        int length = packet.remaining();
        if (length < 1) {
            return false;
        }
        int version = (packet.get(start) & 0xF0) >>> 4;
        if (version == 4) {
            return parseIpv4(packet, start, length);
        }
        if (version == 6) {
            return parseIpv6(packet, start, length);
        }
        return false;
    }

    private boolean parseIpv4(ByteBuffer p, int start, int length) {
        if (length < 20) {
            return false;
        }
        int headerLength = (p.get(start) & 0x0F) * 4;
        if (headerLength < 20 || headerLength > length) {
            return false;
        }
        ipv6 = false;
        protocol = p.get(start + 9) & 0xFF;
        sourceHi = 0;
        sourceLo = int32(p, start + 12) & 0xFFFF_FFFFL;
        destinationHi = 0;
        destinationLo = int32(p, start + 16) & 0xFFFF_FFFFL;
        int fragmentOffset = int16(p, start + 6) & 0x1FFF;
        readPorts(p, start + headerLength, start + length, fragmentOffset == 0);
        return true;
    }

    private boolean parseIpv6(ByteBuffer p, int start, int length) {
        if (length < 40) {
            return false;
        }
        ipv6 = true;
        sourceHi = int64(p, start + 8);
        sourceLo = int64(p, start + 16);
        destinationHi = int64(p, start + 24);
        destinationLo = int64(p, start + 32);
        int next = p.get(start + 6) & 0xFF;
        int at = start + 40;
        int end = start + length;
        boolean firstFragment = true;
        // Walk extension headers (RFC 8200 §4) to the upper-layer protocol.
        while (true) {
            if (next == 0 || next == 43 || next == 60 || next == 135 || next == 139 || next == 140) {
                if (at + 2 > end) {
                    return false;
                }
                int headerLength = ((p.get(at + 1) & 0xFF) + 1) * 8;
                next = p.get(at) & 0xFF;
                at += headerLength;
            } else if (next == 44) {
                if (at + 8 > end) {
                    return false;
                }
                firstFragment = (int16(p, at + 2) & 0xFFF8) == 0;
                next = p.get(at) & 0xFF;
                at += 8;
            } else if (next == 51) {
                if (at + 2 > end) {
                    return false;
                }
                int headerLength = ((p.get(at + 1) & 0xFF) + 2) * 4; // RFC 4302 §2.2
                next = p.get(at) & 0xFF;
                at += headerLength;
            } else {
                break;
            }
            if (at > end) {
                return false;
            }
        }
        protocol = next;
        readPorts(p, at, end, firstFragment);
        return true;
    }

    private void readPorts(ByteBuffer p, int at, int end, boolean firstFragment) {
        portsKnown = false;
        sourcePort = 0;
        destinationPort = 0;
        if (!firstFragment) {
            return;
        }
        switch (protocol) {
            case TCP:
            case UDP:
            case SCTP:
            case UDP_LITE:
                if (at + 4 <= end) {
                    sourcePort = int16(p, at) & 0xFFFF;
                    destinationPort = int16(p, at + 2) & 0xFFFF;
                    portsKnown = true;
                }
                break;
            case ICMP:
            case ICMPV6:
                if (at + 2 <= end) {
                    int typeAndCode = int16(p, at) & 0xFFFF;
                    sourcePort = typeAndCode;
                    destinationPort = typeAndCode;
                    portsKnown = true;
                }
                break;
            default:
                break;
        }
    }

    // Network byte order whatever order the caller's buffer is set to.
    private static int int16(ByteBuffer p, int index) {
        short v = p.getShort(index);
        return p.order() == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v);
    }

    private static int int32(ByteBuffer p, int index) {
        int v = p.getInt(index);
        return p.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    private static long int64(ByteBuffer p, int index) {
        long v = p.getLong(index);
        return p.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }
}
