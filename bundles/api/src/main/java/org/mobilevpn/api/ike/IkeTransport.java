package org.mobilevpn.api.ike;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Carries IKE messages of one session between us and the gateway. The data path implements it over
 * its shared UDP sockets (500 and 4500), demultiplexing IKE from ESP; the engine never touches sockets.
 *
 * <p>Messages handed across this interface are bare IKE messages: on port 4500 the transport adds the
 * four-octet non-ESP marker on send and strips it on receive (RFC 3948 §2.2, RFC 7296 §2.23).
 */
public interface IkeTransport extends AutoCloseable {

    /** Receives the gateway's IKE messages. Called on the transport's thread; must not block. */
    interface Receiver {
        /** One IKE message as received (the array is handed over to the receiver). */
        void received(byte[] message);

        /** The transport cannot receive any more (socket closed or failed). */
        void transportFailed(IOException cause);
    }

    /** Our address and port as currently used. */
    InetSocketAddress localEndpoint();

    /** The gateway's address and port as currently used. */
    InetSocketAddress remoteEndpoint();

    /** Starts delivering received messages to {@code receiver}. Called once, before the first send. */
    void open(Receiver receiver) throws IOException;

    /** Sends one IKE message in one datagram. */
    void send(byte[] message) throws IOException;

    /**
     * Moves both ends to the NAT traversal port 4500 (RFC 7296 §2.23): from now on messages travel with
     * the non-ESP marker, and ESP is expected UDP-encapsulated on the same ports.
     */
    void switchToNatTraversalPort() throws IOException;

    /** Whether {@link #switchToNatTraversalPort()} took effect. */
    boolean isOnNatTraversalPort();

    /** Stops delivery and releases what the transport holds for this session. Idempotent. */
    @Override
    void close();
}
