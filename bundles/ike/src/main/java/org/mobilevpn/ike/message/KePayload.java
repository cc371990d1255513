package org.mobilevpn.ike.message;

/** Key Exchange payload (RFC 7296 §3.4): the group number and our public value. */
public record KePayload(int group, byte[] keyData) implements Payload {

    public KePayload {
        keyData = keyData.clone();
    }

    @Override
    public byte[] keyData() {
        return keyData.clone();
    }

    @Override
    public int type() {
        return PayloadType.KE;
    }

    static KePayload decode(OctetReader in) throws InvalidSyntaxException {
        int group = in.u16("KE group");
        in.skip(2, "KE reserved");
        if (!in.hasRemaining()) {
            throw new InvalidSyntaxException("KE payload without key exchange data");
        }
        return new KePayload(group, in.rest());
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u16(group).u16(0).bytes(keyData);
    }
}
