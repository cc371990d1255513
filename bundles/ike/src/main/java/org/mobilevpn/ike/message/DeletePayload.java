package org.mobilevpn.ike.message;

import java.util.ArrayList;
import java.util.List;

/** Delete payload (RFC 7296 §3.11): the IKE SA (no SPIs) or ESP/AH SAs by their inbound SPIs. */
public record DeletePayload(int protocolId, List<Integer> spis) implements Payload {

    public DeletePayload {
        spis = List.copyOf(spis);
        if (protocolId == ProtocolId.IKE && !spis.isEmpty()) {
            throw new IllegalArgumentException("deleting the IKE SA carries no SPIs");
        }
    }

    public static DeletePayload ikeSa() {
        return new DeletePayload(ProtocolId.IKE, List.of());
    }

    public static DeletePayload esp(int... spis) {
        List<Integer> list = new ArrayList<>();
        for (int s : spis) {
            list.add(s);
        }
        return new DeletePayload(ProtocolId.ESP, list);
    }

    @Override
    public int type() {
        return PayloadType.DELETE;
    }

    static DeletePayload decode(OctetReader in) throws InvalidSyntaxException {
        int protocol = in.u8("D protocol");
        int spiSize = in.u8("D SPI size");
        int count = in.u16("D SPI count");
        if (protocol == ProtocolId.IKE) {
            if (spiSize != 0 || count != 0 || in.hasRemaining()) {
                throw new InvalidSyntaxException("IKE SA delete with SPIs");
            }
            return ikeSa();
        }
        if ((protocol != ProtocolId.ESP && protocol != ProtocolId.AH) || spiSize != 4) {
            throw new InvalidSyntaxException("delete of protocol " + protocol + " with SPI size " + spiSize);
        }
        if (in.remaining() != count * 4) {
            throw new InvalidSyntaxException("delete lists " + count + " SPIs in " + in.remaining() + " octets");
        }
        List<Integer> spis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            spis.add(in.u32("D SPI"));
        }
        return new DeletePayload(protocol, spis);
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u8(protocolId).u8(protocolId == ProtocolId.IKE ? 0 : 4).u16(spis.size());
        for (int spi : spis) {
            out.u32(spi);
        }
    }
}
