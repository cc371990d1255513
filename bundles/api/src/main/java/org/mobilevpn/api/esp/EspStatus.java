package org.mobilevpn.api.esp;

/**
 * Outcome of processing one packet. Returned instead of throwing on the hot path; every value except
 * {@link #OK} means the packet was not produced (outbound) or must be dropped (inbound). Transforms
 * count each outcome ({@link EspCounters#count(EspStatus)}).
 */
public enum EspStatus {
    /** Processed; the output is in the buffer. */
    OK,
    /** Inbound: a valid dummy packet (next header 59, RFC 4303 §2.6); drop silently. */
    DUMMY,
    /** Inbound: the sequence number was already received (RFC 4303 §3.4.3). */
    REPLAY,
    /** Inbound: the sequence number lies left of the anti-replay window (RFC 4303 §3.4.3). */
    TOO_OLD,
    /** Inbound: integrity check failed (forged, corrupted, or wrong ESN high bits). */
    ICV_FAIL,
    /** Inbound: shorter than header + IV + minimal trailer + ICV, or not block-aligned. */
    TRUNCATED,
    /** Inbound: the SPI in the packet is not this SA's. */
    WRONG_SPI,
    /** Inbound: authenticated but the pad length or padding bytes are invalid (RFC 4303 §2.4). */
    BAD_PADDING,
    /** Authenticated but next header is not IPv4 (4), IPv6 (41) or no-next-header (59); outbound: the
     *  packet is not an IPv4/IPv6 packet. */
    BAD_NEXT_HEADER,
    /** Outbound: the sequence number space is used up (RFC 4303 §3.3.3); a new SA is needed. */
    SEQUENCE_EXHAUSTED,
    /** The hard byte or packet lifetime was reached; a new SA is needed. */
    LIFETIME_EXPIRED,
    /** The destination buffer has too little room; nothing was written. */
    BUFFER_TOO_SMALL,
    /** The transform was closed. */
    CLOSED
}
