package org.mobilevpn.api.ipsec;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import org.mobilevpn.api.net.IpAddresses;
import org.mobilevpn.api.net.IpPrefix;

/**
 * One traffic selector (RFC 7296 §3.13.1), as IKE negotiates it and the SPD enforces it (RFC 4301
 * §4.4.1): an IP protocol, an inclusive address range of one family and an inclusive port range.
 *
 * <p>Protocol {@value #ANY_PROTOCOL} matches every protocol. Ports 0..65535 match every port (and packets
 * without ports, such as non-initial fragments, RFC 4301 §4.4.1.1 OPAQUE). For ICMP (1) and ICMPv6 (58)
 * the port fields hold type and code: type in the high byte, code in the low byte (RFC 7296 §3.13.1).
 *
 * @param protocol     IP protocol number, or 0 for any
 * @param startAddress first address of the range (IPv4 or IPv6)
 * @param endAddress   last address of the range, same family, not below the start
 * @param startPort    first port, 0..65535
 * @param endPort      last port, startPort..65535
 */
public record TrafficSelector(int protocol, InetAddress startAddress, InetAddress endAddress, int startPort,
                              int endPort) {

    /** The protocol value that matches every protocol. */
    public static final int ANY_PROTOCOL = 0;
    /** Every IPv4 packet (0.0.0.0/0). */
    public static final TrafficSelector ANY_IPV4 = of(IpPrefix.parse("0.0.0.0/0"));
    /** Every IPv6 packet (::/0). */
    public static final TrafficSelector ANY_IPV6 = of(IpPrefix.parse("::/0"));

    /** Checks family, order and ranges. */
    public TrafficSelector {
        Objects.requireNonNull(startAddress, "startAddress");
        Objects.requireNonNull(endAddress, "endAddress");
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("IP protocol out of range: " + protocol);
        }
        if (startAddress.getClass() != endAddress.getClass()) {
            throw new IllegalArgumentException("address range mixes IPv4 and IPv6: " + startAddress + "-" + endAddress);
        }
        if (Arrays.compareUnsigned(startAddress.getAddress(), endAddress.getAddress()) > 0) {
            throw new IllegalArgumentException("address range start above end: " + startAddress + "-" + endAddress);
        }
        if (startPort < 0 || endPort > 65535 || startPort > endPort) {
            throw new IllegalArgumentException("bad port range " + startPort + "-" + endPort);
        }
    }

    /** All addresses of a prefix, any protocol and port. */
    public static TrafficSelector of(IpPrefix prefix) {
        return new TrafficSelector(ANY_PROTOCOL, prefix.first(), prefix.last(), 0, 65535);
    }

    /**
     * All addresses of a prefix in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}) or one
     * address literal, any protocol and port; read by {@link IpPrefix#parse}: never a DNS lookup.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static TrafficSelector parse(String cidr) {
        return of(IpPrefix.parse(cidr));
    }

    /** One address, any protocol and port. */
    public static TrafficSelector ofAddress(InetAddress address) {
        return new TrafficSelector(ANY_PROTOCOL, address, address, 0, 65535);
    }

    /** Every address of one family, any protocol and port. */
    public static TrafficSelector any(boolean ipv6) {
        return ipv6 ? ANY_IPV6 : ANY_IPV4;
    }

    /** The same addresses, limited to one protocol and a port range. */
    public TrafficSelector withProtocolAndPorts(int protocol, int startPort, int endPort) {
        return new TrafficSelector(protocol, startAddress, endAddress, startPort, endPort);
    }

    /** True for an IPv6 range, false for IPv4. */
    public boolean isIpv6() {
        return IpAddresses.isIpv6(startAddress);
    }

    /** True when the port range is 0..65535. */
    public boolean anyPort() {
        return startPort == 0 && endPort == 65535;
    }

    /** True if every packet this selector matches is also matched by {@code other}. */
    public boolean isWithin(TrafficSelector other) {
        return isIpv6() == other.isIpv6()
                && (other.protocol == ANY_PROTOCOL || other.protocol == protocol)
                && compare(other.startAddress, startAddress) <= 0 && compare(endAddress, other.endAddress) <= 0
                && other.startPort <= startPort && endPort <= other.endPort;
    }

    /** True if this selector's address range holds the address (whatever the protocol and ports). */
    public boolean contains(InetAddress address) {
        return address.getClass() == startAddress.getClass()
                && compare(startAddress, address) <= 0 && compare(address, endAddress) <= 0;
    }

    private static int compare(InetAddress a, InetAddress b) {
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    /**
     * As status output shows a selector, e.g. {@code 198.18.0.1}, {@code 203.0.113.0..203.0.113.255} or
     * {@code 203.0.113.0..203.0.113.255[6/443-443]}.
     */
    @Override
    public String toString() {
        String range = startAddress.equals(endAddress) ? startAddress.getHostAddress()
                : startAddress.getHostAddress() + ".." + endAddress.getHostAddress();
        String proto = protocol == ANY_PROTOCOL ? "" : "[" + protocol + (anyPort() ? "" : "/" + startPort + "-" + endPort) + "]";
        return range + proto;
    }
}
