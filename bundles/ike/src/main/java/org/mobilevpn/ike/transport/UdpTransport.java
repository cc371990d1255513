package org.mobilevpn.ike.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import org.mobilevpn.api.ike.IkeTransport;

/**
 * A plain UDP {@link IkeTransport} for one session, until the data path provides the shared sockets:
 * connected sockets to the gateway's port 500 and, used after {@link #switchToNatTraversalPort()}, to its
 * port 4500 where IKE messages carry the four-octet non-ESP marker (RFC 3948 §2.2). On 4500 it drops
 * what is not IKE (ESP, NAT keepalives): the data path owns ESP. One daemon reader thread per socket.
 *
 * <p>The sockets can be opened ahead of the session with {@link #bind()}, the way the data path's shared
 * sockets exist before a connection starts; {@link #open(Receiver)} then only attaches the receiver.
 */
public final class UdpTransport implements IkeTransport {
    public static final int IKE_PORT = 500;
    public static final int NAT_T_PORT = 4500;
    private static final int MAX_DATAGRAM = 65535;

    /** Creates the unbound channels; injectable so a test can create them inside a network namespace. */
    @FunctionalInterface
    public interface ChannelFactory {
        DatagramChannel open(java.net.ProtocolFamily family) throws IOException;
    }

    private final InetSocketAddress gateway;
    private final ChannelFactory channels;
    private final int localIkePort;
    private final int localNatTPort;
    private DatagramChannel ike;
    private DatagramChannel natT;
    private volatile DatagramChannel sending;
    private volatile boolean closed;
    private volatile Receiver receiver;
    private final java.util.List<Thread> readers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param gateway the gateway's address and IKE port (normally 500)
     * @param localIkePort our source port for IKE (500, or 0 for any)
     * @param localNatTPort our source port after the NAT-T switch (4500, or 0 for any)
     */
    public UdpTransport(InetSocketAddress gateway, int localIkePort, int localNatTPort) {
        this(gateway, localIkePort, localNatTPort, DatagramChannel::open);
    }

    /** As above, with the channels made by {@code channels}. */
    public UdpTransport(InetSocketAddress gateway, int localIkePort, int localNatTPort, ChannelFactory channels) {
        this.gateway = gateway;
        this.channels = channels;
        this.localIkePort = localIkePort;
        this.localNatTPort = localNatTPort;
    }

    /**
     * Opens both sockets at once, as strongSwan binds 500 and 4500 at start: the NAT-T switch in the middle of
     * a handshake then costs nothing. Unless {@link #bind()} opened them already; then this only attaches
     * {@code receiver}.
     */
    @Override
    public synchronized void open(Receiver receiver) throws IOException {
        this.receiver = receiver;
        bind();
    }

    /**
     * Opens and connects both sockets and starts their readers, before any receiver is attached: what
     * arrives until {@link #open(Receiver)} is dropped, as no IKE message is expected before our first
     * request. Idempotent.
     *
     * @throws IOException if a socket cannot be opened or bound (e.g. the port is taken)
     */
    public synchronized void bind() throws IOException {
        if (ike != null) {
            return;
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        DatagramChannel ikeChannel = connect(localIkePort, gateway);
        try {
            natT = connect(localNatTPort, new InetSocketAddress(gateway.getAddress(), NAT_T_PORT));
        } catch (IOException e) {
            ikeChannel.close();
            throw e;
        }
        ike = ikeChannel;
        sending = ike;
        startReader(ike, false);
        startReader(natT, true);
    }

    private DatagramChannel connect(int localPort, InetSocketAddress remote) throws IOException {
        DatagramChannel ch = channels.open(remote.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.bind(new InetSocketAddress(localPort));
            ch.connect(remote);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private void startReader(DatagramChannel ch, boolean marker) {
        Thread t = new Thread(() -> readLoop(ch, marker), "ike-udp-" + (marker ? NAT_T_PORT : IKE_PORT));
        t.setDaemon(true);
        readers.add(t);
        t.start();
    }

    private void readLoop(DatagramChannel ch, boolean marker) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (!closed) {
                buffer.clear();
                try {
                    ch.receive(buffer);
                } catch (java.net.PortUnreachableException e) {
                    // ICMP on a connected socket: transient (the gateway restarting) and spoofable, so it is
                    // left to retransmissions and liveness checks to decide that the gateway is gone.
                    continue;
                }
                buffer.flip();
                int offset = 0;
                if (marker) {
                    // RFC 3948 §2.2: IKE has four zero octets first; ESP has a non-zero SPI; 0xFF is a keepalive.
                    if (buffer.remaining() < 4 || buffer.getInt(0) != 0) {
                        continue;
                    }
                    offset = 4;
                }
                Receiver r = receiver;
                if (r != null) {
                    r.received(remoteEndpoint(), Arrays.copyOfRange(buffer.array(), offset, buffer.limit()));
                }
            }
        } catch (ClosedChannelException e) {
            // closed by close(): a normal end
        } catch (IOException e) {
            Receiver r = receiver;
            if (!closed && r != null) {
                r.transportFailed(e);
            }
        }
    }

    @Override
    public InetSocketAddress localEndpoint() {
        try {
            return (InetSocketAddress) sending.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("transport closed", e);
        }
    }

    @Override
    public InetSocketAddress remoteEndpoint() {
        try {
            return (InetSocketAddress) sending.getRemoteAddress();
        } catch (IOException e) {
            throw new IllegalStateException("transport closed", e);
        }
    }

    @Override
    public void setRemoteEndpoint(InetSocketAddress remote) {
        throw new UnsupportedOperationException("connected sockets: the gateway's endpoint is fixed");
    }

    @Override
    public void send(byte[] message) throws IOException {
        DatagramChannel ch = sending;
        if (ch == natT) {
            ByteBuffer b = ByteBuffer.allocate(4 + message.length);
            b.putInt(0).put(message).flip();
            ch.write(b);
        } else {
            ch.write(ByteBuffer.wrap(message));
        }
    }

    @Override
    public synchronized void switchToNatTraversalPort() {
        sending = natT;
    }

    @Override
    public boolean isOnNatTraversalPort() {
        return natT != null && sending == natT;
    }

    /**
     * Closes the sockets and waits for the reader threads to leave them: the kernel releases a port only when
     * no thread is blocked on its socket any more, and the next session may want the same port at once.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (DatagramChannel ch : new DatagramChannel[] {ike, natT}) {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        // nothing left to do with a socket that will not close
                    }
                }
            }
        }
        for (Thread t : readers) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
