package org.mobilevpn.ike.message;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.ipsec.TrafficSelector;

/** Traffic Selector payload, TSi or TSr (RFC 7296 §3.13) with IPv4 (7) and IPv6 (8) selectors. */
public record TsPayload(boolean initiator, List<TrafficSelector> selectors) implements Payload {
    public static final int TS_IPV4_ADDR_RANGE = 7;
    public static final int TS_IPV6_ADDR_RANGE = 8;

    public TsPayload {
        selectors = List.copyOf(selectors);
        if (selectors.isEmpty() || selectors.size() > 255) {
            throw new IllegalArgumentException("TS payload needs 1..255 selectors");
        }
    }

    @Override
    public int type() {
        return initiator ? PayloadType.TSI : PayloadType.TSR;
    }

    static TsPayload decode(boolean initiator, OctetReader in) throws InvalidSyntaxException {
        int count = in.u8("TS count");
        in.skip(3, "TS reserved");
        if (count == 0) {
            throw new InvalidSyntaxException("TS payload without selectors");
        }
        List<TrafficSelector> selectors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int tsType = in.u8("TS type");
            int protocol = in.u8("TS protocol");
            int length = in.u16("TS length");
            int addressLength;
            if (tsType == TS_IPV4_ADDR_RANGE) {
                addressLength = 4;
            } else if (tsType == TS_IPV6_ADDR_RANGE) {
                addressLength = 16;
            } else {
                throw new InvalidSyntaxException("unknown traffic selector type " + tsType);
            }
            if (length != 8 + 2 * addressLength) {
                throw new InvalidSyntaxException("traffic selector length " + length + " for type " + tsType);
            }
            int startPort = in.u16("TS start port");
            int endPort = in.u16("TS end port");
            byte[] start = in.bytes(addressLength, "TS start address");
            byte[] end = in.bytes(addressLength, "TS end address");
            if (startPort > endPort) {
                // RFC 7296 §3.13.1 allows start > end only for OPAQUE ports (0xffff..0); we reject it.
                throw new InvalidSyntaxException("traffic selector start port above end port");
            }
            try {
                selectors.add(new TrafficSelector(protocol, InetAddress.getByAddress(start),
                        InetAddress.getByAddress(end), startPort, endPort));
            } catch (UnknownHostException | IllegalArgumentException e) {
                // e.g. a range whose start lies above its end: not a selector (RFC 7296 §3.13.1)
                throw new InvalidSyntaxException("traffic selector address: " + e.getMessage());
            }
        }
        if (in.hasRemaining()) {
            throw new InvalidSyntaxException("octets after the last traffic selector");
        }
        return new TsPayload(initiator, selectors);
    }

    @Override
    public void encodeBody(OctetWriter out) {
        out.u8(selectors.size()).zeros(3);
        for (TrafficSelector ts : selectors) {
            byte[] start = ts.startAddress().getAddress();
            out.u8(start.length == 4 ? TS_IPV4_ADDR_RANGE : TS_IPV6_ADDR_RANGE).u8(ts.protocol())
                    .u16(8 + 2 * start.length).u16(ts.startPort()).u16(ts.endPort()).bytes(start)
                    .bytes(ts.endAddress().getAddress());
        }
    }
}
