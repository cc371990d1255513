package org.mobilevpn.ike.message;

/** Vendor ID payload (RFC 7296 §3.12). */
public record VendorIdPayload(byte[] vendorId) implements Payload {

    public VendorIdPayload {
        vendorId = vendorId.clone();
    }

    @Override
    public byte[] vendorId() {
        return vendorId.clone();
    }

    @Override
    public int type() {
        return PayloadType.VENDOR_ID;
    }

    static VendorIdPayload decode(OctetReader in) {
        return new VendorIdPayload(in.rest());
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.bytes(vendorId);
    }
}
