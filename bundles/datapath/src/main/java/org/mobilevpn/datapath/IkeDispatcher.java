package org.mobilevpn.datapath;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands each received IKE message to the transport of its session: the one whose gateway sent
 * it and whose IKE SA initiator SPI (the first 8 bytes of the IKE header, RFC 7296 §3.1) it
 * carries; while a transport has not sent yet, the only transport to that gateway.
 */
final class IkeDispatcher {
    /** What the dispatcher needs of a session's transport. */
    interface Session {
        InetSocketAddress remoteEndpoint();

        /** Our IKE SA initiator SPI once the first message went out, else 0. */
        long initiatorSpi();

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
        if (message.length < 28) {
            return false;
        }
        long spi = initiatorSpi(message);
        Session only = null;
        int candidates = 0;
        for (Session t : transports) {
            if (!t.remoteEndpoint().getAddress().equals(from.getAddress())) {
                continue;
            }
            if (t.initiatorSpi() == spi) {
                t.deliver(from, message, viaNatTraversalPort);
                return true;
            }
            if (t.initiatorSpi() == 0) {
                only = t;
                candidates++;
            }
        }
        if (candidates == 1) {
            only.deliver(from, message, viaNatTraversalPort);
            return true;
        }
        return false;
    }

    List<Session> snapshot() {
        return List.copyOf(transports);
    }

    static long initiatorSpi(byte[] m) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (m[i] & 0xff);
        }
        return v;
    }
}
