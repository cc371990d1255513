package org.mobilevpn.ike.message;

import org.mobilevpn.api.ike.IkeIdentity;

/**
 * Identification payload, IDi or IDr (RFC 7296 §3.5). The body (ID type, three reserved octets, data)
 * is what AUTH signs (RFC 7296 §2.15: RestOfInitIDPayload / RestOfRespIDPayload).
 */
public record IdPayload(boolean initiator, int idType, byte[] data) implements Payload {

    public IdPayload {
        data = data.clone();
    }

    public static IdPayload of(boolean initiator, IkeIdentity id) {
        return new IdPayload(initiator, id.type().ianaId(), id.data());
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The identity, or {@code null} for an ID type we do not know. */
    public IkeIdentity identity() {
        IkeIdentity.Type t = IkeIdentity.Type.ofIanaId(idType);
        try {
            return t == null ? null : IkeIdentity.of(t, data);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public int type() {
        return initiator ? PayloadType.IDI : PayloadType.IDR;
    }

    /** The payload body as AUTH covers it. */
    public byte[] body() {
        OctetWriter w = new OctetWriter(4 + data.length);
        encodeBody(w);
        return w.toByteArray();
    }

    static IdPayload decode(boolean initiator, OctetReader in) throws InvalidSyntaxException {
        int type = in.u8("ID type");
        in.skip(3, "ID reserved");
        if (!in.hasRemaining()) {
            throw new InvalidSyntaxException("ID payload without identification data");
        }
        byte[] data = in.rest();
        if (type == IkeIdentity.Type.IPV4_ADDR.ianaId() && data.length != 4
                || type == IkeIdentity.Type.IPV6_ADDR.ianaId() && data.length != 16) {
            throw new InvalidSyntaxException("IP address ID of " + data.length + " octets");
        }
        return new IdPayload(initiator, type, data);
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u8(idType).zeros(3).bytes(data);
    }
}
