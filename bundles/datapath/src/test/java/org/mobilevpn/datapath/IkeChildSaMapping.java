package org.mobilevpn.datapath;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.api.esp.EspEncryption;
import org.mobilevpn.api.esp.EspIntegrity;
import org.mobilevpn.api.esp.EspKeys;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.filter.TrafficSelector;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.SecretBytes;
import org.mobilevpn.api.vnic.IpPrefix;

/**
 * What the policy manager will do with a Child SA from the IKE engine, done here for the end-to-end
 * test: EspSa records for the data path, SPD selectors, routes for the virtual NIC.
 */
final class IkeChildSaMapping {
    private IkeChildSaMapping() {
    }

    static EspEncryption encryption(ChildSaInfo c) {
        switch (c.encryption()) {
            case AES_GCM_16:
                return c.encryptionKeyBits() == 128 ? EspEncryption.AES_GCM_16_128 : EspEncryption.AES_GCM_16_256;
            case CHACHA20_POLY1305:
                return EspEncryption.CHACHA20_POLY1305;
            default:
                return c.encryptionKeyBits() == 128 ? EspEncryption.AES_CBC_128 : EspEncryption.AES_CBC_256;
        }
    }

    static EspIntegrity integrity(ChildSaInfo c) {
        return EspIntegrity.valueOf(c.integrity().name());
    }

    static EspSa sa(ChildSaInfo c, int childSaId, SaDirection d) {
        boolean in = d == SaDirection.INBOUND;
        byte[] key = bytes(in ? c.keys().encryptionIn() : c.keys().encryptionOut());
        byte[] salt = bytes(in ? c.keys().saltIn() : c.keys().saltOut());
        byte[] integ = bytes(in ? c.keys().integrityIn() : c.keys().integrityOut());
        try {
            EspKeys keys = new EspKeys(key, salt, integ);
            return new EspSa(childSaId, in ? c.spiIn() : c.spiOut(), d, encryption(c), integrity(c), keys, c.esn(),
                    EspSa.DEFAULT_REPLAY_WINDOW,
                    new UdpEncapsulation(c.localEndpoint().getPort(), c.remoteEndpoint().getPort()),
                    EspLifetime.UNLIMITED, 0);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(salt, (byte) 0);
            Arrays.fill(integ, (byte) 0);
        }
    }

    private static byte[] bytes(SecretBytes s) {
        return s.toByteArray();
    }

    static List<TrafficSelector> selectors(List<org.mobilevpn.api.ike.TrafficSelector> ts) {
        List<TrafficSelector> out = new ArrayList<>();
        for (org.mobilevpn.api.ike.TrafficSelector t : ts) {
            out.add(new TrafficSelector(t.ipProtocol(), t.startAddress(), t.endAddress(), t.startPort(), t.endPort()));
        }
        return out;
    }

    /** Routes for ranges that are prefixes (what gateways hand out); others are refused. */
    static List<IpPrefix> routes(List<org.mobilevpn.api.ike.TrafficSelector> ts) {
        List<IpPrefix> out = new ArrayList<>();
        for (org.mobilevpn.api.ike.TrafficSelector t : ts) {
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
