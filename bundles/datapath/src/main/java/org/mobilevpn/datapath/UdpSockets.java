package org.mobilevpn.datapath;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * The data path's UDP sockets: IKE on port 500 (optional: 0 opens none) and IKE plus ESP-in-UDP
 * on port 4500 (RFC 3948), dual-stack where the system has IPv6.
 */
final class UdpSockets implements AutoCloseable {
    private static final int BUFFER_BYTES = 4 << 20;

    final DatagramChannel ike;
    final DatagramChannel natt;

    private UdpSockets(DatagramChannel ike, DatagramChannel natt) {
        this.ike = ike;
        this.natt = natt;
    }

    static UdpSockets open(InetAddress bindAddress, int ikePort, int nattPort) throws IOException {
        DatagramChannel natt = bind(bindAddress, nattPort);
        DatagramChannel ike = null;
        try {
            if (ikePort != 0) {
                ike = bind(bindAddress, ikePort);
            }
        } catch (IOException e) {
            natt.close();
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

    int nattPort() throws IOException {
        return ((InetSocketAddress) natt.getLocalAddress()).getPort();
    }

    int ikePort() throws IOException {
        return ike == null ? 0 : ((InetSocketAddress) ike.getLocalAddress()).getPort();
    }

    @Override
    public void close() {
        try {
            natt.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        if (ike != null) {
            try {
                ike.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
        }
    }
}
