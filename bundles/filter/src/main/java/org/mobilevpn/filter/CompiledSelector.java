package org.mobilevpn.filter;

import org.mobilevpn.api.ipsec.TrafficSelector;

/**
 * One traffic selector reduced to primitives for matching (RFC 4301 §4.4.1.1, RFC 7296 §3.13.1):
 * protocol (0 = any), inclusive 128-bit address range of one family, inclusive port range.
 */
final class CompiledSelector {

    final boolean ipv6;
    final int protocol;
    final long startHi;
    final long startLo;
    final long endHi;
    final long endLo;
    final int startPort;
    final int endPort;
    private final boolean anyPort;

    CompiledSelector(TrafficSelector selector) {
        this.ipv6 = selector.isIpv6();
        this.protocol = selector.protocol();
        this.startHi = Address128.hi(selector.startAddress());
        this.startLo = Address128.lo(selector.startAddress());
        this.endHi = Address128.hi(selector.endAddress());
        this.endLo = Address128.lo(selector.endAddress());
        this.startPort = selector.startPort();
        this.endPort = selector.endPort();
        this.anyPort = selector.anyPort();
    }

    /**
     * Does one side of a packet fall in this selector? Ports unknown (fragments, protocols without
     * ports) match only a selector that covers every port.
     */
    boolean matches(boolean packetIpv6, int packetProtocol, long hi, long lo, boolean portsKnown, int port) {
        if (packetIpv6 != ipv6) {
            return false;
        }
        if (protocol != 0 && protocol != packetProtocol) {
            return false;
        }
        if (Address128.compare(hi, lo, startHi, startLo) < 0 || Address128.compare(hi, lo, endHi, endLo) > 0) {
            return false;
        }
        if (anyPort) {
            return true;
        }
        return portsKnown && port >= startPort && port <= endPort;
    }
}
