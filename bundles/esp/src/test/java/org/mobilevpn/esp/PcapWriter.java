package org.mobilevpn.esp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A classic pcap file (libpcap format, LINKTYPE_IPV4 = 228) of UDP datagrams, so tools like tshark can
 * read what we produce. Each record gets an IPv4 header with a valid checksum and a UDP header.
 */
final class PcapWriter implements AutoCloseable {

    private static final int LINKTYPE_IPV4 = 228;

    private final OutputStream out;
    private int seconds = 1_700_000_000;

    PcapWriter(Path file) throws IOException {
        out = Files.newOutputStream(file);
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(LINKTYPE_IPV4);
        out.write(header.array());
    }

    /** One IPv4/UDP datagram carrying {@code payload}. */
    void udp(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] payload) throws IOException {
        int length = 20 + 8 + payload.length;
        ByteBuffer ip = ByteBuffer.allocate(length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) length).putShort((short) seconds).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(source).put(destination);
        ip.putShort(10, (short) checksum(ip.array(), 0, 20));
        ip.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0); // UDP checksum 0: allowed over IPv4 and what RFC 3948 §2.1 permits
        ip.put(payload);
        ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(seconds++).putInt(0).putInt(length).putInt(length);
        out.write(record.array());
        out.write(ip.array());
    }

    /** The Internet checksum (RFC 1071). */
    static int checksum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length - 1; i += 2) {
            sum += (data[offset + i] & 0xFF) << 8 | (data[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
