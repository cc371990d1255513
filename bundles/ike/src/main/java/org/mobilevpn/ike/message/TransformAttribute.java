package org.mobilevpn.ike.message;

/**
 * A transform attribute (RFC 7296 §3.3.5). IKEv2 defines only Key Length (14), in TV format;
 * TLV attributes are kept so an unknown one can make the transform unacceptable.
 *
 * @param type attribute type without the AF bit
 * @param tvFormat AF bit: the value is the 16-bit field itself
 * @param value the value octets (two octets in TV format)
 */
public record TransformAttribute(int type, boolean tvFormat, byte[] value) {
    public static final int KEY_LENGTH = 14;

    public TransformAttribute {
        value = value.clone();
        if (tvFormat && value.length != 2) {
            throw new IllegalArgumentException("TV attribute needs two octets");
        }
    }

    public static TransformAttribute keyLength(int bits) {
        return new TransformAttribute(KEY_LENGTH, true, new byte[] {(byte) (bits >>> 8), (byte) bits});
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value as a number (TV format). */
    public int intValue() {
        return value.length == 2 ? (value[0] & 0xff) << 8 | value[1] & 0xff : -1;
    }

    static TransformAttribute decode(OctetReader in) throws InvalidSyntaxException {
        int typeField = in.u16("transform attribute");
        boolean tv = (typeField & 0x8000) != 0;
        int type = typeField & 0x7fff;
        if (tv) {
            return new TransformAttribute(type, true, in.bytes(2, "transform attribute"));
        }
        int length = in.u16("transform attribute length");
        return new TransformAttribute(type, false, in.bytes(length, "transform attribute value"));
    }

    void encode(OctetWriter out) {
        out.u16((tvFormat ? 0x8000 : 0) | type);
        if (!tvFormat) {
            out.u16(value.length);
        }
        out.bytes(value);
    }
}
