package org.mobilevpn.ike.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.ike.IkeTransport;

/**
 * A transport that can hold what the engine sends, so a system test can make two exchanges cross in the
 * network in a chosen order (what a slow path does), and then let the datagrams go one by one.
 */
final class HoldingTransport implements IkeTransport {
    private final IkeTransport delegate;
    private final List<byte[]> held = new ArrayList<>();
    private boolean holding;

    HoldingTransport(IkeTransport delegate) {
        this.delegate = delegate;
    }

    /** From now on, datagrams the engine sends are kept back. */
    synchronized void hold() {
        holding = true;
    }

    /** Waits until {@code count} datagrams are held. */
    synchronized void awaitHeld(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (held.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the engine sent " + held.size() + " datagrams, not " + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Sends the held datagram at {@code index} (in sending order, counting those still held). */
    synchronized void sendHeld(int index) throws IOException {
        delegate.send(held.remove(index));
    }

    /** Sends everything held, in order, and stops holding. */
    synchronized void releaseAll() throws IOException {
        holding = false;
        for (byte[] d : held) {
            delegate.send(d);
        }
        held.clear();
    }

    @Override
    public synchronized void send(byte[] message) throws IOException {
        if (holding) {
            held.add(message.clone());
            notifyAll();
            return;
        }
        delegate.send(message);
    }

    @Override
    public InetSocketAddress localEndpoint() {
        return delegate.localEndpoint();
    }

    @Override
    public InetSocketAddress remoteEndpoint() {
        return delegate.remoteEndpoint();
    }

    @Override
    public void setRemoteEndpoint(InetSocketAddress remote) {
        delegate.setRemoteEndpoint(remote);
    }

    @Override
    public void setLocalAddress(java.net.InetAddress local) {
        delegate.setLocalAddress(local);
    }

    @Override
    public void open(Receiver receiver) throws IOException {
        delegate.open(receiver);
    }

    @Override
    public void switchToNatTraversalPort() throws IOException {
        delegate.switchToNatTraversalPort();
    }

    @Override
    public boolean isOnNatTraversalPort() {
        return delegate.isOnNatTraversalPort();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
