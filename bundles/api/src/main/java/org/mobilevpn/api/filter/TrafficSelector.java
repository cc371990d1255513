package org.mobilevpn.api.filter;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One traffic selector as IKEv2 carries it (RFC 7296 §3.13.1): an IP protocol, an inclusive address
 * range of one family and an inclusive port range.
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
public record TrafficSelector(int protocol, InetAddress startAddress, InetAddress endAddress,
                              int startPort, int endPort) {

    /** The protocol value that matches every protocol. */
    public static final int ANY_PROTOCOL = 0;
    /** Every IPv4 packet. */
    public static final TrafficSelector ANY_IPV4 = ofPrefix("0.0.0.0/0");
    /** Every IPv6 packet. */
    public static final TrafficSelector ANY_IPV6 = ofPrefix("::/0");

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

    /**
     * All addresses of a prefix in CIDR notation ("203.0.113.0/24", "2001:db8::/32") or a single address
     * literal, any protocol and port. Only literals are accepted: never a DNS lookup.
     */
    public static TrafficSelector ofPrefix(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        InetAddress base = literal(slash < 0 ? text : text.substring(0, slash));
        byte[] bytes = base.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + cidr);
            }
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        byte[] start = bytes.clone();
        byte[] end = bytes.clone();
        for (int bit = prefix; bit < bits; bit++) {
            int mask = 0x80 >>> (bit & 7);
            start[bit >>> 3] &= (byte) ~mask;
            end[bit >>> 3] |= (byte) mask;
        }
        return new TrafficSelector(ANY_PROTOCOL, address(start), address(end), 0, 65535);
    }

    /** One address, any protocol and port. */
    public static TrafficSelector ofAddress(InetAddress address) {
        return new TrafficSelector(ANY_PROTOCOL, address, address, 0, 65535);
    }

    /** The same addresses, limited to one protocol and a port range. */
    public TrafficSelector withProtocolAndPorts(int protocol, int startPort, int endPort) {
        return new TrafficSelector(protocol, startAddress, endAddress, startPort, endPort);
    }

    /** True for an IPv6 range, false for IPv4. */
    public boolean isIpv6() {
        return startAddress instanceof Inet6Address;
    }

    /** True when the port range is 0..65535. */
    public boolean anyPort() {
        return startPort == 0 && endPort == 65535;
    }

    private static InetAddress literal(String text) {
        boolean literal = !text.isEmpty() && (text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!literal) {
            throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + text);
        }
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Compact form, e.g. {@code 203.0.113.0-203.0.113.255 proto 6 ports 80-80}. */
    @Override
    public String toString() {
        return startAddress.getHostAddress() + "-" + endAddress.getHostAddress()
                + (protocol == ANY_PROTOCOL ? "" : " proto " + protocol)
                + (anyPort() ? "" : " ports " + startPort + "-" + endPort);
    }

}
