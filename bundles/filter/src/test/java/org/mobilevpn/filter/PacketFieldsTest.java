package org.mobilevpn.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Header parsing for selector matching: IPv4 (RFC 791), IPv6 with extension headers (RFC 8200). */
class PacketFieldsTest {

    private final PacketFields fields = new PacketFields();

    @Test
    void ipv4TcpAddressesAndPorts() {
        ByteBuffer packet = Packets.ipv4("198.18.0.1", "203.0.113.2", 6, 40000, 443);
        assertTrue(fields.parse(packet));
        assertFalse(fields.ipv6);
        assertEquals(6, fields.protocol);
        assertEquals(0, fields.sourceHi);
        assertEquals(0xC612_0001L, fields.sourceLo);
        assertEquals(0xCB00_7102L, fields.destinationLo);
        assertTrue(fields.portsKnown);
        assertEquals(40000, fields.sourcePort);
        assertEquals(443, fields.destinationPort);
        assertEquals(0, packet.position(), "parsing does not move the buffer");
    }

    @Test
    void ipv4ReadInNetworkOrderWhateverTheBufferOrder() {
        ByteBuffer packet = Packets.ipv4("198.18.0.1", "203.0.113.2", 17, 5353, 53).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(fields.parse(packet));
        assertEquals(0xCB00_7102L, fields.destinationLo);
        assertEquals(53, fields.destinationPort);
    }

    @Test
    void ipv4WithOptionsAndAtAnOffsetInADirectBuffer() {
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        direct.position(10);
        byte[] header = new byte[24 + 4];
        header[0] = 0x46; // IHL 6: one 4-byte option
        header[9] = 17;
        header[19] = 1;
        header[24] = 0x12;
        header[25] = 0x34;
        header[27] = 53;
        direct.put(header).flip().position(10);
        assertTrue(fields.parse(direct));
        assertEquals(0x1234, fields.sourcePort);
        assertEquals(53, fields.destinationPort);
    }

    @Test
    void nonInitialIpv4FragmentsHaveNoPorts() {
        ByteBuffer packet = Packets.ipv4("198.18.0.1", "203.0.113.2", 17, 1, 2);
        packet.putShort(6, (short) 185); // fragment offset 185 * 8
        assertTrue(fields.parse(packet));
        assertFalse(fields.portsKnown);
        packet.putShort(6, (short) 0x2000); // more fragments, offset 0: the first fragment has ports
        assertTrue(fields.parse(packet));
        assertTrue(fields.portsKnown);
    }

    @Test
    void icmpTypeAndCodeServeAsPorts() {
        assertTrue(fields.parse(Packets.icmp4("198.18.0.1", "203.0.113.2", 8, 0)));
        assertEquals(1, fields.protocol);
        assertEquals(0x0800, fields.sourcePort);
        assertEquals(0x0800, fields.destinationPort);
    }

    @Test
    void ipv6ThroughHopByHopAndDestinationOptions() {
        ByteBuffer packet = Packets.ipv6("2001:db8:1::5", "2001:db8:2::7", 6, 1234, 22, 0, 60);
        assertTrue(fields.parse(packet));
        assertTrue(fields.ipv6);
        assertEquals(6, fields.protocol);
        assertEquals(0x2001_0db8_0001_0000L, fields.sourceHi);
        assertEquals(5, fields.sourceLo);
        assertEquals(0x2001_0db8_0002_0000L, fields.destinationHi);
        assertEquals(7, fields.destinationLo);
        assertEquals(22, fields.destinationPort);
    }

    @Test
    void ipv6FragmentHeaderFirstAndLaterFragments() {
        ByteBuffer first = Packets.ipv6("2001:db8::1", "2001:db8::2", 17, 7, 9, 44);
        assertTrue(fields.parse(first));
        assertEquals(17, fields.protocol);
        assertTrue(fields.portsKnown);
        ByteBuffer later = Packets.ipv6("2001:db8::1", "2001:db8::2", 17, 7, 9, 44);
        later.putShort(42, (short) (100 << 3));
        assertTrue(fields.parse(later));
        assertEquals(17, fields.protocol);
        assertFalse(fields.portsKnown);
    }

    @Test
    void malformedPacketsAreRejected() {
        assertFalse(fields.parse(ByteBuffer.allocate(0)));
        assertFalse(fields.parse(ByteBuffer.allocate(19).put(0, (byte) 0x45)), "short IPv4");
        assertFalse(fields.parse(ByteBuffer.allocate(40).put(0, (byte) 0x44)), "IHL below 5");
        assertFalse(fields.parse(ByteBuffer.allocate(40).put(0, (byte) 0x4F)), "IHL beyond the packet");
        assertFalse(fields.parse(ByteBuffer.allocate(39).put(0, (byte) 0x60)), "short IPv6");
        assertFalse(fields.parse(ByteBuffer.allocate(60).put(0, (byte) 0x50)), "version 5");
        ByteBuffer truncatedExtension = ByteBuffer.allocate(41).put(0, (byte) 0x60).put(6, (byte) 0);
        assertFalse(fields.parse(truncatedExtension));
    }

    @Test
    void truncatedTransportHeaderMeansNoPorts() {
        ByteBuffer packet = ByteBuffer.allocate(22);
        packet.put(0, (byte) 0x45).put(9, (byte) 6);
        assertTrue(fields.parse(packet));
        assertFalse(fields.portsKnown);
    }
}
