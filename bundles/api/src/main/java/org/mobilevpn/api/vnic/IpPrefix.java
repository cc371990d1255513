package org.mobilevpn.api.vnic;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
     * Parses {@code address/length} or a bare address (a host prefix). Only numeric addresses:
     * no name is ever resolved.
     */
    public static IpPrefix parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || addr.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not a numeric IP address: " + text);
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(addr); // numeric literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
        if (slash < 0) {
            return host(a);
        }
        try {
            return new IpPrefix(a, Integer.parseInt(s.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + text, e);
        }
    }

    public InetAddress address() {
        return address;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv6() {
        return !(address instanceof Inet4Address);
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
