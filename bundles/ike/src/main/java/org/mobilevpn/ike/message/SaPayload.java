package org.mobilevpn.ike.message;

import java.util.ArrayList;
import java.util.List;

/** Security Association payload (RFC 7296 §3.3): proposals in order of preference. */
public record SaPayload(List<Proposal> proposals) implements Payload {

    public SaPayload {
        proposals = List.copyOf(proposals);
    }

    @Override
    public int type() {
        return PayloadType.SA;
    }

    static SaPayload decode(OctetReader in) throws InvalidSyntaxException {
        List<Proposal> proposals = new ArrayList<>();
        boolean more = true;
        while (more) {
            int last = in.u8("proposal last");
            if (last != 0 && last != 2) {
                throw new InvalidSyntaxException("proposal 'last substruc' " + last);
            }
            more = last == 2;
            in.skip(1, "proposal reserved");
            int length = in.u16("proposal length");
            if (length < 8) {
                throw new InvalidSyntaxException("proposal length " + length);
            }
            Proposal p = Proposal.decode(in.slice(length - 4, "proposal"));
            int expected = proposals.isEmpty() ? 1 : proposals.get(proposals.size() - 1).number();
            if (p.number() != expected && p.number() != expected + 1) {
                throw new InvalidSyntaxException("proposal number " + p.number() + " out of sequence");
            }
            proposals.add(p);
        }
        if (in.hasRemaining()) {
            throw new InvalidSyntaxException("octets after the last proposal");
        }
        return new SaPayload(proposals);
    }

    @Override
    public void encodeBody(OctetWriter out) {
        for (int i = 0; i < proposals.size(); i++) {
            proposals.get(i).encode(out, i == proposals.size() - 1);
        }
    }
}
