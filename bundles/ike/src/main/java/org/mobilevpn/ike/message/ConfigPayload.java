package org.mobilevpn.ike.message;

import java.util.ArrayList;
import java.util.List;

/** Configuration payload (RFC 7296 §3.15): CFG_REQUEST / CFG_REPLY / CFG_SET / CFG_ACK with attributes. */
public record ConfigPayload(int configType, List<ConfigAttribute> attributes) implements Payload {
    public static final int CFG_REQUEST = 1;
    public static final int CFG_REPLY = 2;
    public static final int CFG_SET = 3;
    public static final int CFG_ACK = 4;

    public ConfigPayload {
        attributes = List.copyOf(attributes);
    }

    @Override
    public int type() {
        return PayloadType.CP;
    }

    /** Attributes of one type, in order. */
    public List<ConfigAttribute> attributes(int type) {
        List<ConfigAttribute> out = new ArrayList<>();
        for (ConfigAttribute a : attributes) {
            if (a.type() == type) {
                out.add(a);
            }
        }
        return out;
    }

    static ConfigPayload decode(OctetReader in) throws InvalidSyntaxException {
        int cfgType = in.u8("CP type");
        in.skip(3, "CP reserved");
        List<ConfigAttribute> attributes = new ArrayList<>();
        while (in.hasRemaining()) {
            int type = in.u16("CP attribute type") & 0x7fff;
            int length = in.u16("CP attribute length");
            attributes.add(new ConfigAttribute(type, in.bytes(length, "CP attribute value")));
        }
        return new ConfigPayload(cfgType, attributes);
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u8(configType).zeros(3);
        for (ConfigAttribute a : attributes) {
            byte[] v = a.value();
            out.u16(a.type()).u16(v.length).bytes(v);
        }
    }
}
