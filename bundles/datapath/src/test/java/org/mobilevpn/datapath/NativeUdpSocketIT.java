package org.mobilevpn.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/**
 * The JNA UDP socket in a test namespace (its loopback): a UDP GSO batch leaves in one call and
 * arrives as the same datagrams (coalesced with their size under UDP_GRO, or one by one), and the
 * sender's address is read back as an IPv4 address.
 */
@SystemTest(tag = "dpudp")
class NativeUdpSocketIT {

    @Test
    void gsoBatchArrivesAsItsDatagrams(SystemTestContext ctx) throws Exception {
        Netns ns = ctx.netns("lo");
        byte[] data = new byte[1000 * 5 + 321];
        new Random(9).nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int[] datagrams = new int[1];
        InetSocketAddress[] source = new InetSocketAddress[1];
        InNamespace.call(ns.name(), () -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            NativeUdpSocket rx = NativeUdpSocket.bind(lo, 0, 1 << 20);
            NativeUdpSocket tx = NativeUdpSocket.bind(lo, 0, 1 << 20);
            try {
                ByteBuffer out = ByteBuffer.allocateDirect(data.length).put(data).flip();
                tx.sender().sendSegments(out, 1000, new NativeUdpSocket.PeerAddress(new InetSocketAddress(lo, rx.port())));
                ByteBuffer in = ByteBuffer.allocateDirect(65536);
                while (got.size() < data.length) {
                    in.clear();
                    int n = rx.receive(in);
                    int segment = rx.lastGsoSize() > 0 ? rx.lastGsoSize() : n;
                    for (int off = 0; off < n; off += segment) {
                        int len = Math.min(segment, n - off);
                        assertTrue(len == 1000 || off + len == n && got.size() + len == data.length,
                                "every datagram but the last is 1000 bytes: " + len);
                        byte[] b = new byte[len];
                        in.get(off, b);
                        got.write(b);
                        datagrams[0]++;
                    }
                    source[0] = rx.lastSource();
                }
                assertEquals(tx.port(), source[0].getPort());
            } finally {
                rx.close();
                rx.release();
                tx.close();
                tx.release();
            }
            return null;
        });
        assertArrayEquals(data, got.toByteArray());
        assertEquals(6, datagrams[0]);
        assertEquals(InetAddress.getByName("127.0.0.1"), source[0].getAddress(), "IPv4-mapped source read as IPv4");
    }
}
