package org.mobilevpn.api.esp;

/**
 * UDP encapsulation of ESP (RFC 3948) for an SA, and the framing constants of port 4500.
 *
 * <p>An ESP transform produces and consumes the ESP packet only (from the SPI on); the UDP header is
 * written by the socket (or by whoever frames the datagram), so an encapsulated packet needs
 * {@link #UDP_HEADER_LENGTH} bytes of room in front when a raw frame is built.
 *
 * @param localPort  our UDP port, normally 4500
 * @param remotePort the peer's UDP port, normally 4500 (another value behind a NAT)
 */
public record UdpEncapsulation(int localPort, int remotePort) {

    /** The IKE/ESP NAT-T port (RFC 3948 §1.1). */
    public static final int NAT_T_PORT = 4500;
    /** Length of the UDP header in front of an encapsulated ESP packet (RFC 768). */
    public static final int UDP_HEADER_LENGTH = 8;
    /** Length of the non-ESP marker (four zero bytes) in front of IKE messages on port 4500 (RFC 3948 §2.2). */
    public static final int NON_ESP_MARKER_LENGTH = 4;
    /** The single byte of a NAT-keepalive datagram (RFC 3948 §2.3). */
    public static final byte NAT_KEEPALIVE_BYTE = (byte) 0xFF;
    /** The usual encapsulation: port 4500 on both ends. */
    public static final UdpEncapsulation DEFAULT = new UdpEncapsulation(NAT_T_PORT, NAT_T_PORT);

    /** Ports must be 1..65535. */
    public UdpEncapsulation {
        if (localPort < 1 || localPort > 65535 || remotePort < 1 || remotePort > 65535) {
            throw new IllegalArgumentException("UDP port out of range: " + localPort + "/" + remotePort);
        }
    }
}
