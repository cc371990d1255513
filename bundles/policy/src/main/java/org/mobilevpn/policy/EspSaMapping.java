package org.mobilevpn.policy;

import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.ike.ChildSaInfo;

/**
 * A Child SA as the engine negotiated it (RFC 7296 §2.17 KEYMAT split by direction) as the two ESP SA
 * records the data path installs (RFC 4303): inbound with our SPI and the keys "in", outbound with the
 * gateway's SPI and the keys "out". Each record owns a copy of its keys, so the engine's record can be
 * closed independently. Time lifetimes stay with the engine (it rekeys); the records carry no byte or
 * packet limits.
 */
final class EspSaMapping {
    private EspSaMapping() {
    }

    static EspSa inbound(int childSaId, ChildSaInfo info) {
        return sa(childSaId, info, SaDirection.INBOUND);
    }

    static EspSa outbound(int childSaId, ChildSaInfo info) {
        return sa(childSaId, info, SaDirection.OUTBOUND);
    }

    private static EspSa sa(int childSaId, ChildSaInfo info, SaDirection direction) {
        boolean in = direction == SaDirection.INBOUND;
        UdpEncapsulation udp = info.nat().udpEncapsulation()
                ? new UdpEncapsulation(info.localEndpoint().getPort(), info.remoteEndpoint().getPort()) : null;
        var keys = (in ? info.keys().in() : info.keys().out()).copy();
        try {
            return new EspSa(childSaId, in ? info.spiIn() : info.spiOut(), direction, info.encryption(), info.integrity(),
                    keys, info.esn(), EspSa.DEFAULT_REPLAY_WINDOW, udp, EspLifetime.UNLIMITED, 0);
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
    }
}
