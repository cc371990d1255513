package org.mobilevpn.filter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Raw IP packets for selector tests: just enough header for the SPD to read. */
final class Packets {

    private Packets() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** IPv4 with a 4-byte transport header (ports, or ICMP type/code in the first two bytes). */
    static ByteBuffer ipv4(String source, String destination, int protocol, int sourcePort, int destinationPort) {
        ByteBuffer p = ByteBuffer.allocate(20 + 8);
        p.put(0, (byte) 0x45);
        p.putShort(2, (short) 28);
        p.put(8, (byte) 64);
        p.put(9, (byte) protocol);
        p.put(12, ip(source).getAddress());
        p.put(16, ip(destination).getAddress());
        p.putShort(20, (short) sourcePort);
        p.putShort(22, (short) destinationPort);
        return p;
    }

    /** IPv4 ICMP with type and code. */
    static ByteBuffer icmp4(String source, String destination, int type, int code) {
        return ipv4(source, destination, 1, type << 8 | code, 0);
    }

    /** IPv6 with optional extension headers before the transport header. */
    static ByteBuffer ipv6(String source, String destination, int protocol, int sourcePort, int destinationPort,
                           int... extensionHeaders) {
        ByteBuffer p = ByteBuffer.allocate(40 + 8 * extensionHeaders.length + 8);
        p.put(0, (byte) 0x60);
        p.putShort(4, (short) (p.capacity() - 40));
        p.put(6, (byte) (extensionHeaders.length > 0 ? extensionHeaders[0] : protocol));
        p.put(7, (byte) 64);
        p.put(8, ip(source).getAddress());
        p.put(24, ip(destination).getAddress());
        int at = 40;
        for (int i = 0; i < extensionHeaders.length; i++) {
            int next = i + 1 < extensionHeaders.length ? extensionHeaders[i + 1] : protocol;
            p.put(at, (byte) next);
            p.put(at + 1, (byte) 0); // 8 bytes long (hop-by-hop, destination options) or fragment header
            at += 8;
        }
        p.putShort(at, (short) sourcePort);
        p.putShort(at + 2, (short) destinationPort);
        return p;
    }
}
