package org.mobilevpn.ike.message;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A configuration attribute (RFC 7296 §3.15.1): type and value (empty in a request for "any"). */
public record ConfigAttribute(int type, byte[] value) {
    public static final int INTERNAL_IP4_ADDRESS = 1;
    public static final int INTERNAL_IP4_NETMASK = 2;
    public static final int INTERNAL_IP4_DNS = 3;
    public static final int INTERNAL_IP4_NBNS = 4;
    public static final int INTERNAL_IP4_DHCP = 6;
    public static final int APPLICATION_VERSION = 7;
    public static final int INTERNAL_IP6_ADDRESS = 8;
    public static final int INTERNAL_IP6_DNS = 10;
    public static final int INTERNAL_IP6_DHCP = 12;
    public static final int INTERNAL_IP4_SUBNET = 13;
    public static final int SUPPORTED_ATTRIBUTES = 14;
    public static final int INTERNAL_IP6_SUBNET = 15;
    /** RFC 8598 §4.1: a domain the gateway resolves (split DNS); empty in a request. */
    public static final int INTERNAL_DNS_DOMAIN = 25;

    public ConfigAttribute {
        value = value.clone();
        if (type < 0 || type > 0x7fff || value.length > 0xffff) {
            throw new IllegalArgumentException("config attribute type or length out of range");
        }
    }

    public static ConfigAttribute empty(int type) {
        return new ConfigAttribute(type, new byte[0]);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /**
     * The address in an INTERNAL_IP4_ADDRESS / _DNS (4 octets) or INTERNAL_IP6_ADDRESS (16 + prefix) /
     * _DNS (16) value, or {@code null} if the value has no address.
     */
    public InetAddress address() {
        int n = value.length == 4 ? 4 : value.length == 16 || value.length == 17 ? 16 : 0;
        if (n == 0) {
            return null;
        }
        byte[] a = new byte[n];
        System.arraycopy(value, 0, a, 0, n);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
