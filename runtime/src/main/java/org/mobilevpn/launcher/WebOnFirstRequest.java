package org.mobilevpn.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the web feature (Jetty and the Web Console, 13-19 MiB of RSS and about half a second of CPU) on the first
 * connection to its port instead of at start, as systemd's socket activation does for a service: until then this
 * holds the HTTP (and HTTPS) port with a listener of its own. The first connection closes the listener, so that
 * Jetty can bind the port, and is then handed to Jetty byte for byte (TLS included) once Jetty listens; from then
 * on Jetty answers alone. While the listener holds the port, the system property {@link #WAITING} names it, so
 * that {@code vpn:health} can tell a web feature that waits by design from one that failed to start.
 */
final class WebOnFirstRequest implements DeferredStartLevel.Gate {
    /** The framework property that turns this on ({@code true}); anything else starts the web feature at once. */
    static final String PROPERTY = "mobilevpn.web.onfirstrequest";
    /** The system property naming the held addresses while the web feature waits for its first connection. */
    static final String WAITING = "mobilevpn.web.waiting";

    private final HttpAddresses.Source addresses;
    private final Duration patience;
    private final List<SocketChannel> held = new ArrayList<>();

    /**
     * @param addresses where the web feature will listen, asked once deploy/ is active (ConfigAdmin's
     *     configuration of the HTTP service is in place by then)
     * @param patience how long a held connection waits for Jetty to listen before it is closed
     */
    WebOnFirstRequest(HttpAddresses.Source addresses, Duration patience) {
        this.addresses = addresses;
        this.patience = patience;
    }

    /**
     * Holds the web feature's ports until the first connection to one of them. Returns at once (the web feature
     * starts now) when there is nothing to listen on or no port can be held.
     */
    @Override
    public void awaitOpening() throws InterruptedException {
        List<InetSocketAddress> targets = addresses.addresses();
        List<ServerSocketChannel> listeners = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (InetSocketAddress address : targets) {
                try {
                    ServerSocketChannel listener = ServerSocketChannel.open();
                    listeners.add(listener);
                    listener.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                    listener.bind(address);
                    listener.configureBlocking(false);
                    listener.register(selector, SelectionKey.OP_ACCEPT);
                } catch (IOException e) {
                    System.err.println("mobilevpn: cannot hold the web port " + address + " until its first request ("
                            + e.getMessage() + "); starting the web feature now");
                    return;
                }
            }
            if (listeners.isEmpty()) {
                return;
            }
            System.setProperty(WAITING, String.join(", ", targets.stream().map(a -> a.getHostString() + ":" + a.getPort())
                    .toList()));
            while (selector.select() == 0 || !acceptAll(listeners)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } catch (IOException e) {
            System.err.println("mobilevpn: the web port's listener failed (" + e.getMessage()
                    + "); starting the web feature now");
        } finally {
            System.clearProperty(WAITING);
            for (ServerSocketChannel listener : listeners) {
                closeQuietly(listener);
            }
        }
    }

    /** Accepts what is waiting on every listener (a browser may open several connections at once). */
    private boolean acceptAll(List<ServerSocketChannel> listeners) throws IOException {
        for (ServerSocketChannel listener : listeners) {
            for (SocketChannel accepted = listener.accept(); accepted != null; accepted = listener.accept()) {
                held.add(accepted);
            }
        }
        return !held.isEmpty();
    }

    /** The web feature's start level is reached: each held connection goes to Jetty at the address it came to. */
    @Override
    public void levelReached() {
        for (SocketChannel client : held) {
            Thread forward = new Thread(() -> forward(client), "mobilevpn-web-first-request");
            forward.setDaemon(true);
            forward.start();
        }
        held.clear();
    }

    private void forward(SocketChannel client) {
        try (client; SocketChannel server = connectWhenListening(client.getLocalAddress())) {
            if (server == null) {
                System.err.println("mobilevpn: the web feature did not listen on " + client.getLocalAddress()
                        + " within " + patience.toSeconds() + " s; its first connection is closed");
                return;
            }
            client.configureBlocking(true);
            Thread back = new Thread(() -> copy(server, client), "mobilevpn-web-first-request");
            back.setDaemon(true);
            back.start();
            copy(client, server);
            back.join();
        } catch (IOException e) {
            // the browser or Jetty closed: nothing to hand on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Jetty binds the port some time after its bundle started; connection refused until then. */
    private SocketChannel connectWhenListening(SocketAddress address) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        do {
            try {
                return SocketChannel.open(address);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        } while (System.nanoTime() < deadline);
        return null;
    }

    /** Copies one direction until its end, then passes the end on (a half close: the other direction goes on). */
    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing what already failed
        }
    }
}
