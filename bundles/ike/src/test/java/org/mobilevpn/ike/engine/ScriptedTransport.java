package org.mobilevpn.ike.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.ike.IkeTransport;

/** An in-memory transport: records what the engine sends with the virtual time, and injects what the peer sends. */
final class ScriptedTransport implements IkeTransport {
    record Sent(long atMillis, byte[] datagram) {
    }

    private final ManualScheduler clock;
    private final List<Sent> sent = new ArrayList<>();
    private Receiver receiver;
    private boolean natT;
    boolean closed;
    int taken;
    /** Datagrams no session owned, as the shared sockets would have dropped them. */
    int unrouted;
    /** Where the engine moved the gateway's endpoint (an authenticated message from a new NAT-mapped port). */
    InetSocketAddress movedTo;

    ScriptedTransport(ManualScheduler clock) {
        this.clock = clock;
    }

    /** Where a move (MOBIKE) put our address. */
    java.net.InetAddress localAddress;

    @Override
    public InetSocketAddress localEndpoint() {
        return localAddress != null ? new InetSocketAddress(localAddress, natT ? 4500 : 500)
                : new InetSocketAddress("198.51.100.2", natT ? 4500 : 500);
    }

    @Override
    public void setLocalAddress(java.net.InetAddress local) {
        localAddress = local;
    }

    @Override
    public InetSocketAddress remoteEndpoint() {
        return movedTo != null ? movedTo : new InetSocketAddress("198.51.100.1", natT ? 4500 : 500);
    }

    @Override
    public void open(Receiver r) {
        receiver = r;
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        sent.add(new Sent(clock.nowMillis(), message.clone()));
    }

    @Override
    public void switchToNatTraversalPort() {
        natT = true;
    }

    @Override
    public boolean isOnNatTraversalPort() {
        return natT;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The socket under the transport broke (or its data path went away). */
    void fail(IOException cause) {
        receiver.transportFailed(cause);
    }

    /**
     * The peer's datagram, routed as the data path's shared sockets route it: only to a session that owns our
     * SPI in its header (a message for an IKE SA the session does not know about never reaches it).
     */
    void deliver(byte[] datagram) {
        deliverFrom(remoteEndpoint(), datagram);
    }

    /** As {@link #deliver}, claiming another source (a forged one, or the gateway behind a moved NAT mapping). */
    void deliverFrom(InetSocketAddress from, byte[] datagram) {
        if (datagram.length >= HEADER_LENGTH && receiver.ownsIkeSpi(IkeTransport.localSpiOf(datagram))) {
            receiver.received(from, datagram.clone());
        } else {
            unrouted++;
        }
    }

    @Override
    public void setRemoteEndpoint(InetSocketAddress next) {
        movedTo = next;
    }

    List<Sent> sent() {
        return sent;
    }

    /** Datagrams sent since the last call. */
    List<byte[]> takeNew() {
        List<byte[]> out = new ArrayList<>();
        for (; taken < sent.size(); taken++) {
            out.add(sent.get(taken).datagram());
        }
        return out;
    }
}
