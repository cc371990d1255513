package org.mobilevpn.ike.message;

import java.util.ArrayList;
import java.util.List;

/**
 * A proposal substructure (RFC 7296 §3.3.1): number, protocol, SPI (0 octets in IKE_SA_INIT, 8 when
 * rekeying an IKE SA, 4 for ESP/AH) and its transforms.
 */
public record Proposal(int number, int protocolId, byte[] spi, List<Transform> transforms) {

    public Proposal {
        spi = spi.clone();
        transforms = List.copyOf(transforms);
        if (number < 1 || number > 255) {
            throw new IllegalArgumentException("proposal number " + number);
        }
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    /** All transforms of one type, in order. */
    public List<Transform> transforms(int type) {
        List<Transform> out = new ArrayList<>();
        for (Transform t : transforms) {
            if (t.type() == type) {
                out.add(t);
            }
        }
        return out;
    }

    static Proposal decode(OctetReader in) throws InvalidSyntaxException {
        int number = in.u8("proposal number");
        int protocol = in.u8("proposal protocol");
        int spiSize = in.u8("proposal SPI size");
        int count = in.u8("proposal transform count");
        if (number == 0) {
            throw new InvalidSyntaxException("proposal number 0");
        }
        if (protocol == ProtocolId.IKE && spiSize != 0 && spiSize != 8
                || (protocol == ProtocolId.ESP || protocol == ProtocolId.AH) && spiSize != 4) {
            throw new InvalidSyntaxException("SPI size " + spiSize + " for protocol " + protocol);
        }
        byte[] spi = in.bytes(spiSize, "proposal SPI");
        List<Transform> transforms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int last = in.u8("transform last");
            in.skip(1, "transform reserved");
            int length = in.u16("transform length");
            if (length < 8) {
                throw new InvalidSyntaxException("transform length " + length);
            }
            boolean isLast = i == count - 1;
            if (last != (isLast ? 0 : 3)) {
                throw new InvalidSyntaxException("transform 'last substruc' " + last + " disagrees with count " + count);
            }
            transforms.add(Transform.decode(in.slice(length - 4, "transform")));
        }
        if (in.hasRemaining()) {
            throw new InvalidSyntaxException("proposal length exceeds its " + count + " transforms");
        }
        return new Proposal(number, protocol, spi, transforms);
    }

    void encode(OctetWriter out, boolean last) {
        int start = out.size();
        out.u8(last ? 0 : 2).u8(0).u16(0).u8(number).u8(protocolId).u8(spi.length).u8(transforms.size()).bytes(spi);
        for (int i = 0; i < transforms.size(); i++) {
            transforms.get(i).encode(out, i == transforms.size() - 1);
        }
        out.patchU16(start + 2, out.size() - start);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Proposal[#" + number + " proto=" + protocolId);
        for (Transform t : transforms) {
            sb.append(' ').append(t.type()).append(':').append(t.id());
            if (t.keyLength() != 0) {
                sb.append('/').append(t.keyLength());
            }
        }
        return sb.append(']').toString();
    }
}
