package org.mobilevpn.ike.message;

import java.util.ArrayList;
import java.util.List;

/** A transform substructure (RFC 7296 §3.3.2): type, id and attributes. */
public record Transform(int type, int id, List<TransformAttribute> attributes) {
    public static final int TYPE_ENCR = 1;
    public static final int TYPE_PRF = 2;
    public static final int TYPE_INTEG = 3;
    public static final int TYPE_KE = 4;
    public static final int TYPE_ESN = 5;

    public Transform {
        attributes = List.copyOf(attributes);
    }

    public static Transform of(int type, int id) {
        return new Transform(type, id, List.of());
    }

    public static Transform withKeyLength(int type, int id, int keyBits) {
        return new Transform(type, id, List.of(TransformAttribute.keyLength(keyBits)));
    }

    /** The Key Length attribute in bits, or 0 when absent. */
    public int keyLength() {
        for (TransformAttribute a : attributes) {
            if (a.type() == TransformAttribute.KEY_LENGTH && a.tvFormat()) {
                return a.intValue();
            }
        }
        return 0;
    }

    /** True if an attribute other than Key Length is present (RFC 7296 §3.3.6: reject the transform). */
    public boolean hasUnknownAttributes() {
        return attributes.stream().anyMatch(a -> a.type() != TransformAttribute.KEY_LENGTH || !a.tvFormat());
    }

    static Transform decode(OctetReader in) throws InvalidSyntaxException {
        int type = in.u8("transform type");
        in.skip(1, "transform reserved");
        int id = in.u16("transform id");
        List<TransformAttribute> attributes = new ArrayList<>();
        while (in.hasRemaining()) {
            attributes.add(TransformAttribute.decode(in));
        }
        return new Transform(type, id, attributes);
    }

    void encode(OctetWriter out, boolean last) {
        int start = out.size();
        out.u8(last ? 0 : 3).u8(0).u16(0).u8(type).u8(0).u16(id);
        for (TransformAttribute a : attributes) {
            a.encode(out);
        }
        out.patchU16(start + 2, out.size() - start);
    }
}
