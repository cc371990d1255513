package org.mobilevpn.api.esp;

/** Which limit an SA reached. */
public enum LifetimeLimit {
    /** Byte count ({@link EspLifetime#softBytes()} / {@link EspLifetime#hardBytes()}). */
    BYTES,
    /** Packet count ({@link EspLifetime#softPackets()} / {@link EspLifetime#hardPackets()}). */
    PACKETS,
    /** Sequence number space: soft when close to the end, hard when used up (RFC 4303 §3.3.3). */
    SEQUENCE_NUMBERS
}
