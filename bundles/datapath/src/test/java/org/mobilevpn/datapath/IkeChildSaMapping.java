package org.mobilevpn.datapath;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.net.IpPrefix;

/**
 * What the policy manager will do with a Child SA from the IKE engine, done here for the end-to-end
 * test: EspSa records for the data path and routes for the virtual NIC.
 */
final class IkeChildSaMapping {
    private IkeChildSaMapping() {
    }

    static EspSa sa(ChildSaInfo c, int childSaId, SaDirection d) {
        boolean in = d == SaDirection.INBOUND;
        EspKeys keys = (in ? c.keys().in() : c.keys().out()).copy();
        return new EspSa(childSaId, in ? c.spiIn() : c.spiOut(), d, c.encryption(), c.integrity(), keys, c.esn(),
                EspSa.DEFAULT_REPLAY_WINDOW, new UdpEncapsulation(c.localEndpoint().getPort(), c.remoteEndpoint().getPort()),
                EspLifetime.UNLIMITED, 0);
    }

    /** Routes for ranges that are prefixes (what gateways hand out); others are refused. */
    static List<IpPrefix> routes(List<TrafficSelector> ts) {
        List<IpPrefix> out = new ArrayList<>();
        for (TrafficSelector t : ts) {
            BigInteger a = new BigInteger(1, t.startAddress().getAddress());
            BigInteger b = new BigInteger(1, t.endAddress().getAddress());
            int bits = t.startAddress().getAddress().length * 8;
            int hostBits = b.subtract(a).add(BigInteger.ONE).bitLength() - 1;
            if (!b.subtract(a).add(BigInteger.ONE).equals(BigInteger.ONE.shiftLeft(hostBits))) {
                throw new IllegalArgumentException("not a prefix: " + t);
            }
            out.add(IpPrefix.of(t.startAddress(), bits - hostBits));
        }
        return out;
    }

    static IpPrefix host(InetAddress a) {
        return IpPrefix.host(a);
    }
}
