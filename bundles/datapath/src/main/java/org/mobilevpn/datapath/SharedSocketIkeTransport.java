package org.mobilevpn.datapath;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.ike.IkeTransport;

/**
 * One IKE session's transport over the data path's shared sockets: port 500 plainly, port 4500
 * with the four-byte non-ESP marker added on send (RFC 3948 §2.2, RFC 7296 §2.23); received
 * messages arrive through the {@link IkeDispatcher} with the marker already stripped.
 */
final class SharedSocketIkeTransport implements IkeTransport, IkeDispatcher.Session {
    private static final int IKE_PORT = 500;
    private final UdpSockets sockets;
    private final IkeDispatcher dispatcher;
    /** Our address as the session last chose it (the kernel picks the source for a wildcard-bound socket). */
    private volatile InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile InetSocketAddress remote;
    private volatile boolean natT;
    private volatile Receiver receiver;

    SharedSocketIkeTransport(UdpSockets sockets, IkeDispatcher dispatcher, InetSocketAddress gateway) throws IOException {
        // (the NAT-T port is known without I/O; the port-500 one may throw)
        this.sockets = sockets;
        this.dispatcher = dispatcher;
        this.natT = gateway.getPort() == sockets.nattPort() || sockets.ike == null;
        // Without a port-500 socket the exchange starts on the NAT traversal ports (RFC 7296 §2.23): a gateway
        // named with the IKE port is reached on its 4500, not sent marker-prefixed datagrams on 500.
        this.remote = sockets.ike == null && gateway.getPort() == IKE_PORT
                ? new InetSocketAddress(gateway.getAddress(), UdpEncapsulation.NAT_T_PORT) : gateway;
        this.localAddress = new InetSocketAddress(sourceAddressToward(gateway).getAddress(),
                natT ? sockets.nattPort() : sockets.ikePort());
    }

    /** The source address the kernel picks for the gateway (a connected UDP socket sends nothing). */
    private static InetSocketAddress sourceAddressToward(InetSocketAddress gateway) throws IOException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(gateway);
            return new InetSocketAddress(probe.getLocalAddress(), probe.getLocalPort());
        }
    }

    @Override
    public boolean ownsIkeSpi(long localSpi) {
        Receiver r = receiver;
        return r != null && r.ownsIkeSpi(localSpi);
    }

    @Override
    public InetSocketAddress localEndpoint() {
        try {
            return new InetSocketAddress(localAddress.getAddress(), natT ? sockets.nattPort() : sockets.ikePort());
        } catch (IOException e) {
            return localAddress;
        }
    }

    @Override
    public InetSocketAddress remoteEndpoint() {
        return remote;
    }

    @Override
    public void open(Receiver r) {
        this.receiver = r;
        dispatcher.add(this);
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (closed.get()) {
            throw new IOException("IKE transport closed");
        }
        if (natT) {
            ByteBuffer b = ByteBuffer.allocate(UdpEncapsulation.NON_ESP_MARKER_LENGTH + message.length);
            b.putInt(0).put(message).flip();
            sockets.sendOnNattPort(b, remote);
        } else {
            sockets.ike.send(ByteBuffer.wrap(message), remote);
        }
    }

    @Override
    public void switchToNatTraversalPort() throws IOException {
        if (!natT) {
            remote = new InetSocketAddress(remote.getAddress(), UdpEncapsulation.NAT_T_PORT);
            natT = true;
        }
    }

    @Override
    public boolean isOnNatTraversalPort() {
        return natT;
    }

    /**
     * A message for this session. Its source changes nothing here: the engine moves the remote endpoint
     * ({@link #setRemoteEndpoint}) once the message has passed its integrity check. After the move to port
     * 4500 both sides send only there (RFC 7296 §2.23), so what still arrives on port 500 is not ours.
     */
    @Override
    public void deliver(InetSocketAddress from, byte[] message, boolean viaNatTraversalPort) {
        Receiver r = receiver;
        if (r != null && !closed.get() && (viaNatTraversalPort || !natT)) {
            r.received(from, message);
        }
    }

    @Override
    public void setRemoteEndpoint(InetSocketAddress next) {
        remote = next;
    }

    @Override
    public void setLocalAddress(java.net.InetAddress local) {
        localAddress = new InetSocketAddress(local, localAddress.getPort());
    }

    /** The sockets went away (data path stopped). */
    void failed(IOException cause) {
        Receiver r = receiver;
        if (r != null && closed.compareAndSet(false, true)) {
            dispatcher.remove(this);
            r.transportFailed(cause);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            dispatcher.remove(this);
        }
    }
}
