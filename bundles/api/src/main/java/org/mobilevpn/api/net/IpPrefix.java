package org.mobilevpn.api.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/** An IPv4 or IPv6 address with a prefix length, e.g. {@code 198.18.0.5/32} or {@code 2001:db8::/32}. */
public final class IpPrefix {
    private final InetAddress address;
    private final int prefixLength;

    private IpPrefix(InetAddress address, int prefixLength) {
        this.address = Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0.." + max);
        }
        this.prefixLength = prefixLength;
    }

    public static IpPrefix of(InetAddress address, int prefixLength) {
        return new IpPrefix(address, prefixLength);
    }

    /** A host prefix: /32 for IPv4, /128 for IPv6. */
    public static IpPrefix host(InetAddress address) {
        return new IpPrefix(address, address instanceof Inet4Address ? 32 : 128);
    }

    /**
     * Parses {@code address/length} or a bare address (a host prefix), the address by
     * {@link IpAddresses#parse}: no name is ever resolved.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static IpPrefix parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        InetAddress a = IpAddresses.parse(slash < 0 ? s : s.substring(0, slash));
        if (slash < 0) {
            return host(a);
        }
        int max = a instanceof Inet4Address ? 32 : 128;
        String length = s.substring(slash + 1);
        if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(length) > max) {
            throw new IllegalArgumentException(IpAddresses.quote(text) + " has an invalid prefix length: use 0.." + max);
        }
        return new IpPrefix(a, Integer.parseInt(length));
    }

    /** The address as given (host bits may be set, e.g. an interface address {@code 198.18.0.5/24}). */
    public InetAddress address() {
        return address;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv6() {
        return !(address instanceof Inet4Address);
    }

    /** The lowest address of the prefix (host bits cleared). */
    public InetAddress first() {
        return IpAddresses.of(bits(false));
    }

    /** The highest address of the prefix (host bits set). */
    public InetAddress last() {
        return IpAddresses.of(bits(true));
    }

    private byte[] bits(boolean set) {
        byte[] b = address.getAddress();
        for (int bit = prefixLength; bit < b.length * 8; bit++) {
            int mask = 0x80 >>> (bit & 7);
            b[bit >>> 3] = (byte) (set ? b[bit >>> 3] | mask : b[bit >>> 3] & ~mask);
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix && ((IpPrefix) o).address.equals(address) && ((IpPrefix) o).prefixLength == prefixLength;
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + prefixLength;
    }

    /** {@code address/length} with the address in its canonical numeric form. */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
