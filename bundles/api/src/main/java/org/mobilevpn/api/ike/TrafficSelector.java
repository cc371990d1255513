package org.mobilevpn.api.ike;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One traffic selector (RFC 7296 §3.13.1): an address range, an IP protocol and a port range.
 * Both ends of a range are inclusive and of the same family.
 *
 * @param ipProtocol IP protocol number, 0 for any
 * @param startAddress first address of the range
 * @param endAddress last address of the range
 * @param startPort first port, 0 for any
 * @param endPort last port, 65535 for any
 */
public record TrafficSelector(int ipProtocol, InetAddress startAddress, InetAddress endAddress, int startPort, int endPort) {

    public TrafficSelector {
        Objects.requireNonNull(startAddress, "startAddress");
        Objects.requireNonNull(endAddress, "endAddress");
        if (startAddress.getAddress().length != endAddress.getAddress().length) {
            throw new IllegalArgumentException("traffic selector mixes address families");
        }
        if (ipProtocol < 0 || ipProtocol > 255 || startPort < 0 || endPort > 65535 || startPort > endPort) {
            throw new IllegalArgumentException("traffic selector protocol or port range out of bounds");
        }
    }

    /** Every IPv4 address, protocol and port (0.0.0.0/0). */
    public static TrafficSelector anyIpv4() {
        return ofCidr("0.0.0.0/0");
    }

    /** Every IPv6 address, protocol and port (::/0). */
    public static TrafficSelector anyIpv6() {
        return ofCidr("::/0");
    }

    /** A single address, any protocol and port. */
    public static TrafficSelector ofAddress(InetAddress address) {
        return new TrafficSelector(0, address, address, 0, 65535);
    }

    /**
     * A subnet in CIDR notation (e.g. {@code 203.0.113.0/24}), any protocol and port.
     *
     * @throws IllegalArgumentException if the text is not an address with an optional prefix length
     */
    public static TrafficSelector ofCidr(String cidr) {
        String[] parts = cidr.strip().split("/", 2);
        byte[] start;
        try {
            if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                throw new UnknownHostException(parts[0]);
            }
            start = InetAddress.getByName(parts[0]).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not an address or subnet", e);
        }
        int bits = start.length * 8;
        int prefix = bits;
        if (parts.length == 2) {
            try {
                prefix = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length", e);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + cidr + "' has an invalid prefix length");
            }
        }
        byte[] end = start.clone();
        for (int bit = prefix; bit < bits; bit++) {
            start[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            end[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        try {
            return new TrafficSelector(0, InetAddress.getByAddress(start), InetAddress.getByAddress(end), 0, 65535);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 octets
        }
    }

    public boolean isIpv4() {
        return startAddress.getAddress().length == 4;
    }

    /** True if every packet this selector matches is also matched by {@code other}. */
    public boolean isWithin(TrafficSelector other) {
        return isIpv4() == other.isIpv4()
                && (other.ipProtocol == 0 || other.ipProtocol == ipProtocol)
                && compare(other.startAddress, startAddress) <= 0 && compare(endAddress, other.endAddress) <= 0
                && other.startPort <= startPort && endPort <= other.endPort;
    }

    /** True if this selector matches the address (any protocol and port of the selector). */
    public boolean contains(InetAddress address) {
        return address.getAddress().length == startAddress.getAddress().length
                && compare(startAddress, address) <= 0 && compare(address, endAddress) <= 0;
    }

    private static int compare(InetAddress a, InetAddress b) {
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    @Override
    public String toString() {
        String range = startAddress.equals(endAddress) ? startAddress.getHostAddress()
                : startAddress.getHostAddress() + ".." + endAddress.getHostAddress();
        String proto = ipProtocol == 0 ? "" : "[" + ipProtocol + (startPort == 0 && endPort == 65535 ? "" : "/" + startPort + "-" + endPort) + "]";
        return range + proto;
    }
}
