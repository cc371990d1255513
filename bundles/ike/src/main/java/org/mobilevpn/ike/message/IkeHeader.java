package org.mobilevpn.ike.message;

/**
 * The IKE header (RFC 7296 §3.1). {@code nextPayload} and {@code length} are as received; when
 * encoding, the codec computes them from the payloads.
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int nextPayload, int majorVersion, int minorVersion,
        int exchangeType, int flags, int messageId, int length) {

    public static final int LENGTH = 28;
    /** Flag: the sender is the original initiator of the IKE SA. */
    public static final int FLAG_INITIATOR = 0x08;
    /** Flag: the sender could speak a higher major version. */
    public static final int FLAG_VERSION = 0x10;
    /** Flag: this message is a response. */
    public static final int FLAG_RESPONSE = 0x20;

    /** A header for a message we send as the original initiator. */
    public static IkeHeader ofInitiator(long initiatorSpi, long responderSpi, int exchangeType, boolean response,
            int messageId) {
        return new IkeHeader(initiatorSpi, responderSpi, 0, 2, 0, exchangeType,
                FLAG_INITIATOR | (response ? FLAG_RESPONSE : 0), messageId, 0);
    }

    public boolean isInitiator() {
        return (flags & FLAG_INITIATOR) != 0;
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    /** The same header with another responder SPI (set after IKE_SA_INIT). */
    public IkeHeader withResponderSpi(long spi) {
        return new IkeHeader(initiatorSpi, spi, nextPayload, majorVersion, minorVersion, exchangeType, flags,
                messageId, length);
    }

    static IkeHeader decode(OctetReader in) throws InvalidSyntaxException {
        long ispi = in.u64("IKE header");
        long rspi = in.u64("IKE header");
        int next = in.u8("IKE header");
        int version = in.u8("IKE header");
        int exchange = in.u8("IKE header");
        int flags = in.u8("IKE header");
        int messageId = in.u32("IKE header");
        int length = in.u32("IKE header");
        return new IkeHeader(ispi, rspi, next, version >>> 4, version & 0x0f, exchange, flags, messageId, length);
    }

    void encode(OctetWriter out, int next, int totalLength) {
        out.u64(initiatorSpi).u64(responderSpi).u8(next).u8(majorVersion << 4 | minorVersion & 0x0f)
                .u8(exchangeType).u8(flags).u32(messageId).u32(totalLength);
    }

    @Override
    public String toString() {
        return String.format("%s %s #%d %016x_i %016x_r", ExchangeType.name(exchangeType),
                isResponse() ? "response" : "request", messageId & 0xffffffffL, initiatorSpi, responderSpi);
    }
}
