package org.mobilevpn.ike.message;

/** Notify payload (RFC 7296 §3.10): protocol, SPI, message type and data. */
public record NotifyPayload(int protocolId, byte[] spi, int notifyType, byte[] data) implements Payload {

    public NotifyPayload {
        spi = spi.clone();
        data = data.clone();
    }

    /** A notify about the IKE SA (no SPI). */
    public static NotifyPayload of(int notifyType, byte[] data) {
        return new NotifyPayload(ProtocolId.NONE, new byte[0], notifyType, data);
    }

    public static NotifyPayload of(int notifyType) {
        return of(notifyType, new byte[0]);
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public boolean isError() {
        return NotifyType.isError(notifyType);
    }

    @Override
    public int type() {
        return PayloadType.NOTIFY;
    }

    static NotifyPayload decode(OctetReader in) throws InvalidSyntaxException {
        int protocol = in.u8("N protocol");
        int spiSize = in.u8("N SPI size");
        int type = in.u16("N type");
        byte[] spi = in.bytes(spiSize, "N SPI");
        return new NotifyPayload(protocol, spi, type, in.rest());
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u8(protocolId).u8(spi.length).u16(notifyType).bytes(spi).bytes(data);
    }

    @Override
    public String toString() {
        return "N(" + NotifyType.name(notifyType) + ")";
    }
}
