package org.mobilevpn.ike.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.mobilevpn.api.ike.IkeTransport;

/**
 * Stands in for the transport of a session whose data path is being replaced (DESIGN.md "state is data":
 * a swap of the data path bundle must not renegotiate the tunnel). It remembers where the old transport
 * was, so the session keeps its NAT-T port and fragment sizes, and refuses to send: the retransmission
 * schedule retries until a new transport is attached, or gives up as on a broken network.
 */
final class DetachedTransport implements IkeTransport {
    private InetSocketAddress local;
    private InetSocketAddress remote;
    private final boolean natTraversal;

    DetachedTransport(IkeTransport previous) {
        this.local = previous.localEndpoint();
        this.remote = previous.remoteEndpoint();
        this.natTraversal = previous.isOnNatTraversalPort();
    }

    @Override
    public InetSocketAddress localEndpoint() {
        return local;
    }

    @Override
    public InetSocketAddress remoteEndpoint() {
        return remote;
    }

    /** Only a move (MOBIKE) gets here: nothing is received while detached, so nothing authenticated moves it. */
    @Override
    public void setRemoteEndpoint(InetSocketAddress next) {
        remote = next;
    }

    @Override
    public void setLocalAddress(java.net.InetAddress next) {
        local = new InetSocketAddress(next, local.getPort());
    }

    @Override
    public void open(Receiver receiver) {
        // nothing arrives while detached
    }

    @Override
    public void send(byte[] message) throws IOException {
        throw new IOException("no transport: the data path is being replaced");
    }

    @Override
    public void switchToNatTraversalPort() throws IOException {
        throw new IOException("no transport: the data path is being replaced");
    }

    @Override
    public boolean isOnNatTraversalPort() {
        return natTraversal;
    }

    @Override
    public void close() {
        // holds nothing
    }
}
