package org.mobilevpn.api.ike;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Carries IKE messages of one session between us and the gateway. The data path implements it over
 * its shared UDP sockets (500 and 4500), demultiplexing IKE from ESP; the engine never touches sockets.
 *
 * <p>Messages handed across this interface are bare IKE messages: on port 4500 the transport adds the
 * four-octet non-ESP marker on send and strips it on receive (RFC 3948 §2.2, RFC 7296 §2.23).
 */
@ProviderType
public interface IkeTransport extends AutoCloseable {

    /** Receives the gateway's IKE messages. Called on the transport's thread; must not block. */
    @ProviderType
    interface Receiver {
        /**
         * One IKE message as received (the array is handed over to the receiver) and where it came from. Nothing
         * in it is authenticated yet: the sender address is only a claim until the message passes its integrity
         * check.
         */
        void received(InetSocketAddress from, byte[] message);

        /** The transport cannot receive any more (socket closed or failed). */
        void transportFailed(IOException cause);

        /**
         * Whether {@code localSpi} is our SPI of one of this session's IKE SAs: the current one, one being
         * created by a rekey (by either side) and a replaced one still being deleted. A transport that serves
         * several sessions over one socket hands a message to the session that owns the SPI we chose for its
         * IKE SA ({@link #localSpiOf}): the IKE SPIs change with every IKE SA rekey (RFC 7296 §1.3.2, §2.18).
         * Called on the transport's thread, concurrently with the session.
         */
        boolean ownsIkeSpi(long localSpi);
    }

    /** Length of the IKE header (RFC 7296 §3.1): a message shorter than this has no SPIs to route by. */
    int HEADER_LENGTH = 28;

    /**
     * Our SPI in a received IKE message (RFC 7296 §3.1): the responder SPI if the sender says it is the
     * original initiator of the IKE SA (flag I, e.g. the gateway's IKE SA after it rekeyed), else the
     * initiator SPI. {@code message} must be at least {@link #HEADER_LENGTH} octets long.
     */
    static long localSpiOf(byte[] message) {
        boolean senderIsInitiator = (message[19] & 0x08) != 0;
        int offset = senderIsInitiator ? 8 : 0;
        long v = 0;
        for (int i = offset; i < offset + 8; i++) {
            v = (v << 8) | (message[i] & 0xff);
        }
        return v;
    }

    /** Our address and port as currently used. */
    InetSocketAddress localEndpoint();

    /** The gateway's address and port as currently used. */
    InetSocketAddress remoteEndpoint();

    /**
     * Sends to {@code remote} from now on. The engine calls this only for the source of a message that passed
     * its integrity check (RFC 7296 §2.23: a port change through a NAT is followed only on authenticated
     * messages), never for a merely received datagram.
     */
    void setRemoteEndpoint(InetSocketAddress remote);

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
