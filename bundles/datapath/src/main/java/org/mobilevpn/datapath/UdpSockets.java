package org.mobilevpn.datapath;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * The data path's UDP sockets: IKE on port 500 (optional: 0 opens none), a plain channel, and IKE
 * plus ESP-in-UDP on port 4500 (RFC 3948), a {@link NativeUdpSocket} for UDP GSO/GRO batching.
 */
final class UdpSockets implements AutoCloseable {
    private static final int BUFFER_BYTES = 4 << 20;

    final DatagramChannel ike;
    final NativeUdpSocket natt;
    private final NativeUdpSocket.Sender ikeSender;

    private UdpSockets(DatagramChannel ike, NativeUdpSocket natt) {
        this.ike = ike;
        this.natt = natt;
        this.ikeSender = natt.sender();
    }

    /** Opens the sockets on {@code bindAddress} (null: every address, dual-stack). */
    static UdpSockets open(InetAddress bindAddress, int ikePort, int nattPort) throws IOException {
        NativeUdpSocket natt = NativeUdpSocket.bind(bindAddress, nattPort, BUFFER_BYTES);
        DatagramChannel ike = null;
        try {
            if (ikePort != 0) {
                ike = bind(bindAddress, ikePort);
            }
        } catch (IOException e) {
            natt.close();
            natt.release();
            throw e;
        }
        return new UdpSockets(ike, natt);
    }

    private static DatagramChannel bind(InetAddress address, int port) throws IOException {
        DatagramChannel ch;
        if (address == null || address.isAnyLocalAddress()) {
            try {
                ch = DatagramChannel.open(StandardProtocolFamily.INET6);
            } catch (UnsupportedOperationException | IOException e) {
                ch = DatagramChannel.open(StandardProtocolFamily.INET);
            }
        } else {
            ch = DatagramChannel.open(address instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
        }
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
            ch.bind(address == null || address.isAnyLocalAddress() ? new InetSocketAddress(port)
                    : new InetSocketAddress(address, port));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot bind UDP port " + port + ": " + e.getMessage(), e);
        }
        return ch;
    }

    int nattPort() {
        return natt.port();
    }

    /** Sends an IKE message (marker included) on port 4500; IKE threads share this sender. */
    synchronized void sendOnNattPort(java.nio.ByteBuffer message, InetSocketAddress to) throws IOException {
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(message.remaining());
        direct.put(message).flip();
        ikeSender.send(direct, new NativeUdpSocket.PeerAddress(to));
    }

    int ikePort() throws IOException {
        return ike == null ? 0 : ((InetSocketAddress) ike.getLocalAddress()).getPort();
    }

    /** Wakes the receivers; {@link #release()} frees the NAT-T descriptor once they have stopped. */
    @Override
    public void close() {
        natt.close();
        if (ike != null) {
            try {
                ike.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
        }
    }

    void release() {
        natt.release();
    }
}
