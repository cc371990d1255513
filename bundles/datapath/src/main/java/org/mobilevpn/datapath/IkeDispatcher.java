package org.mobilevpn.datapath;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mobilevpn.api.ike.IkeTransport;

/**
 * Hands each received IKE message to the transport of its session: the one whose gateway sent it and
 * whose session owns our SPI in its IKE header (RFC 7296 §3.1, {@link IkeTransport#localSpiOf}). The
 * session is asked, not remembered: an IKE SA rekey (§1.3.2, §2.18) gives the session new SPIs, whichever
 * side starts it, and the messages of the new IKE SA must still reach it. A message from another address goes
 * to the session that owns its SPI: a gateway may move (MOBIKE, RFC 4555 §3.5), and the session's integrity
 * check, not the sender's address, decides whether it counts.
 */
final class IkeDispatcher {
    /** What the dispatcher needs of a session's transport. */
    interface Session {
        InetSocketAddress remoteEndpoint();

        /** Whether the session owns {@code localSpi} as our SPI of one of its IKE SAs. */
        boolean ownsIkeSpi(long localSpi);

        void deliver(InetSocketAddress from, byte[] message, boolean viaNatTraversalPort);
    }

    private final List<Session> transports = new CopyOnWriteArrayList<>();

    void add(Session t) {
        transports.add(t);
    }

    void remove(Session t) {
        transports.remove(t);
    }

    /** @return whether a transport took the message */
    boolean dispatch(InetSocketAddress from, byte[] message, boolean viaNatTraversalPort) {
        if (message.length < IkeTransport.HEADER_LENGTH) {
            return false;
        }
        long spi = IkeTransport.localSpiOf(message);
        for (Session t : transports) {
            if (t.remoteEndpoint().getAddress().equals(from.getAddress()) && t.ownsIkeSpi(spi)) {
                t.deliver(from, message, viaNatTraversalPort);
                return true;
            }
        }
        for (Session t : transports) {
            if (t.ownsIkeSpi(spi)) {
                t.deliver(from, message, viaNatTraversalPort);
                return true;
            }
        }
        return false;
    }

    List<Session> snapshot() {
        return List.copyOf(transports);
    }
}
