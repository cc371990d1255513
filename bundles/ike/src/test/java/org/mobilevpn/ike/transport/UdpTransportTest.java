package org.mobilevpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.IkeTransport;

/** The plain UDP transport on loopback: sockets opened ahead of the session, then handed to it. */
class UdpTransportTest {

    private static final class Collecting implements IkeTransport.Receiver {
        final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();

        @Override
        public void received(InetSocketAddress from, byte[] message) {
            messages.add(message);
        }

        @Override
        public void transportFailed(IOException cause) {
        }

        @Override
        public boolean ownsIkeSpi(long localSpi) {
            return true;
        }
    }

    @Test
    void boundBeforeTheSessionKeepsItsSocketsAndDeliversOnceOpened() throws Exception {
        try (DatagramChannel gateway = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                UdpTransport transport = new UdpTransport((InetSocketAddress) gateway.getLocalAddress(), 0, 0)) {
            transport.bind();
            InetSocketAddress before = transport.localEndpoint();
            assertNotEquals(0, before.getPort());
            // Sent while no receiver is attached: dropped or delivered later, but it must not stop the reader.
            gateway.send(ByteBuffer.wrap(new byte[] {1}), before);

            Collecting receiver = new Collecting();
            transport.open(receiver);
            assertEquals(before, transport.localEndpoint(), "open() reuses the sockets bind() opened");
            gateway.send(ByteBuffer.wrap(new byte[] {2, 3}), before);
            byte[] got;
            do {
                got = receiver.messages.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "message sent after open() not delivered");
            } while (got.length == 1);
            assertArrayEquals(new byte[] {2, 3}, got);

            transport.send(new byte[] {4});
            ByteBuffer in = ByteBuffer.allocate(16);
            assertEquals(before, gateway.receive(in));
            assertEquals(1, in.position());
        }
    }

    @Test
    void bindingTwiceIsHarmlessAndAClosedTransportCannotBind() throws Exception {
        try (DatagramChannel gateway = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            UdpTransport transport = new UdpTransport((InetSocketAddress) gateway.getLocalAddress(), 0, 0);
            transport.bind();
            InetSocketAddress first = transport.localEndpoint();
            transport.bind();
            assertEquals(first, transport.localEndpoint());
            transport.close();

            UdpTransport unused = new UdpTransport((InetSocketAddress) gateway.getLocalAddress(), 0, 0);
            unused.close();
            assertThrows(IOException.class, unused::bind);
        }
    }
}
