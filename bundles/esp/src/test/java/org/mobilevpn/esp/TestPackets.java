package org.mobilevpn.esp;

/** Inner IP packets for tests: real IPv4/IPv6 headers from the documentation ranges, patterned payload. */
public final class TestPackets {

    private TestPackets() {
    }

    /** An IPv4 UDP packet 198.18.0.1 -> 203.0.113.2 of {@code length} bytes (at least 28). */
    public static byte[] ipv4(int length, int seed) {
        byte[] p = new byte[length];
        p[0] = 0x45;
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        p[8] = 64;
        p[9] = 17;
        byte[] src = {(byte) 198, 18, 0, 1};
        byte[] dst = {(byte) 203, 0, 113, 2};
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (p[i] & 0xFF) << 8 | (p[i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = ~((sum & 0xFFFF) + (sum >>> 16)) & 0xFFFF;
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        p[20] = (byte) 0xC0;
        p[21] = 0x01;
        p[22] = 0x13;
        p[23] = (byte) 0x88;
        p[24] = (byte) ((length - 20) >>> 8);
        p[25] = (byte) (length - 20);
        for (int i = 28; i < length; i++) {
            p[i] = (byte) (i * 31 + seed);
        }
        return p;
    }

    /** An IPv6 UDP packet 2001:db8:1::1 -> 2001:db8:2::2 of {@code length} bytes (at least 48). */
    public static byte[] ipv6(int length, int seed) {
        byte[] p = new byte[length];
        p[0] = 0x60;
        int payload = length - 40;
        p[4] = (byte) (payload >>> 8);
        p[5] = (byte) payload;
        p[6] = 17;
        p[7] = 64;
        p[8] = 0x20;
        p[9] = 0x01;
        p[10] = 0x0d;
        p[11] = (byte) 0xb8;
        p[13] = 1;
        p[23] = 1;
        p[24] = 0x20;
        p[25] = 0x01;
        p[26] = 0x0d;
        p[27] = (byte) 0xb8;
        p[29] = 2;
        p[39] = 2;
        p[40] = (byte) 0xC0;
        p[41] = 0x01;
        p[42] = 0x13;
        p[43] = (byte) 0x88;
        p[44] = (byte) (payload >>> 8);
        p[45] = (byte) payload;
        for (int i = 48; i < length; i++) {
            p[i] = (byte) (i * 17 + seed);
        }
        return p;
    }

    /** An IPv4 ICMP echo request from 198.18.0.1 to 203.0.113.2 with valid checksums. */
    public static byte[] icmpEcho(int identifier, int sequence, int payloadLength) {
        int length = 20 + 8 + payloadLength;
        byte[] p = new byte[length];
        p[0] = 0x45;
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        p[8] = 64;
        p[9] = 1;
        byte[] addresses = {(byte) 198, 18, 0, 1, (byte) 203, 0, 113, 2};
        System.arraycopy(addresses, 0, p, 12, 8);
        int ipSum = PcapWriter.checksum(p, 0, 20);
        p[10] = (byte) (ipSum >>> 8);
        p[11] = (byte) ipSum;
        p[20] = 8;
        p[24] = (byte) (identifier >>> 8);
        p[25] = (byte) identifier;
        p[26] = (byte) (sequence >>> 8);
        p[27] = (byte) sequence;
        for (int i = 28; i < length; i++) {
            p[i] = (byte) i;
        }
        int icmpSum = PcapWriter.checksum(p, 20, length - 20);
        p[22] = (byte) (icmpSum >>> 8);
        p[23] = (byte) icmpSum;
        return p;
    }
}
