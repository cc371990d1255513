package org.mobilevpn.api.filter;

/** What to do with a packet matching an SPD rule (RFC 4301 §4.4.1). */
public enum SpdAction {
    /** Send through the rule's Child SA (ESP). */
    PROTECT,
    /** Not for the tunnel: the packet goes in the clear, outside IPsec. */
    BYPASS,
    /** Drop the packet. */
    DISCARD
}
