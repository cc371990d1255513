package org.mobilevpn.api.datapath;

/** Why the data path dropped a packet, outside what an ESP transform reports per SA. */
public enum DropReason {
    /** Outbound: the SPD says DISCARD (or the packet is not IPv4/IPv6). */
    POLICY_DISCARD,
    /** Outbound: the SPD says BYPASS, but a packet read from the virtual NIC cannot leave outside the tunnel. */
    POLICY_BYPASS,
    /** Outbound: PROTECT through a Child SA that has no outbound SA installed. */
    NO_OUTBOUND_SA,
    /** Outbound: ESP encryption refused the packet (sequence exhausted, lifetime, too big). */
    ENCRYPT_FAILED,
    /** Inbound: no installed inbound SA has the packet's SPI. */
    UNKNOWN_SPI,
    /** Inbound: decryption failed (replay, too old, ICV, truncated, padding); details per SA. */
    DECRYPT_FAILED,
    /** Inbound: a valid dummy packet (next header 59). */
    DUMMY,
    /** Inbound: the decrypted packet does not match its SA's selectors (RFC 4301 §5.2). */
    INBOUND_POLICY,
    /** Inbound: a datagram too short to be ESP, or IKE for no open transport. */
    MALFORMED,
    /** A send or virtual NIC write failed. */
    IO_ERROR
}
