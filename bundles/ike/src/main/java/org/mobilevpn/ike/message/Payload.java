package org.mobilevpn.ike.message;

/**
 * One IKEv2 payload (RFC 7296 §3.2) without its generic header: the codec writes and checks the
 * "next payload", critical bit and length fields around {@link #encodeBody(OctetWriter)}.
 */
public interface Payload {

    /** The payload type number ({@link PayloadType}). */
    int type();

    /** Writes everything after the generic payload header. */
    void encodeBody(OctetWriter out);
}
