package org.mobilevpn.datapath;

import java.nio.ByteBuffer;

/**
 * Tells apart what arrives on UDP port 4500 (RFC 3948 §2.2, §2.3; RFC 7296 §2.23): a one-byte
 * 0xFF NAT keepalive, an IKE message behind the four-byte non-ESP marker (zeros where ESP has
 * its SPI, which is never 0), or an ESP packet starting with its SPI.
 */
final class Port4500Demux {
    enum Kind {
        ESP, IKE, KEEPALIVE, MALFORMED
    }

    /** The smallest ESP packet worth looking up: SPI and sequence number (RFC 4303 §2). */
    static final int MIN_ESP = 8;

    private Port4500Demux() {
    }

    /** Classifies the datagram between position and limit without moving the position. */
    static Kind classify(ByteBuffer datagram) {
        int p = datagram.position();
        int len = datagram.limit() - p;
        if (len == 1) {
            return datagram.get(p) == (byte) 0xFF ? Kind.KEEPALIVE : Kind.MALFORMED;
        }
        if (len < 4) {
            return Kind.MALFORMED;
        }
        if (datagram.getInt(p) == 0) {
            // The IKE header (28 bytes) follows the marker.
            return len >= 4 + 28 ? Kind.IKE : Kind.MALFORMED;
        }
        return len >= MIN_ESP ? Kind.ESP : Kind.MALFORMED;
    }
}
