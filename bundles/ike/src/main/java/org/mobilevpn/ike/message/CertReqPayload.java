package org.mobilevpn.ike.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Certificate Request payload (RFC 7296 §3.7): for X.509 (encoding 4) the data is a concatenation of
 * SHA-1 hashes of trusted CAs' SubjectPublicKeyInfo.
 */
public record CertReqPayload(int encoding, byte[] authorities) implements Payload {

    public CertReqPayload {
        authorities = authorities.clone();
    }

    @Override
    public byte[] authorities() {
        return authorities.clone();
    }

    /** The 20-octet CA key hashes (X.509 encoding); empty if the data is not a multiple of 20. */
    public List<byte[]> caKeyHashes() {
        List<byte[]> out = new ArrayList<>();
        if (authorities.length % 20 == 0) {
            for (int i = 0; i < authorities.length; i += 20) {
                out.add(Arrays.copyOfRange(authorities, i, i + 20));
            }
        }
        return out;
    }

    @Override
    public int type() {
        return PayloadType.CERTREQ;
    }

    static CertReqPayload decode(OctetReader in) throws InvalidSyntaxException {
        int encoding = in.u8("CERTREQ encoding");
        return new CertReqPayload(encoding, in.rest());
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u8(encoding).bytes(authorities);
    }
}
