package org.mobilevpn.ike.engine;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses a gateway may assign in its CFG_REPLY (RFC 7296 §3.15.1, INTERNAL_IP4/6_ADDRESS and
 * INTERNAL_IP4/6_DNS). A hostile or broken gateway must not be able to make us put an address on the TUN device
 * that captures or shadows traffic, or send our DNS queries somewhere that is not through the tunnel:
 * <ul>
 * <li>unspecified (0.0.0.0, ::), loopback (127.0.0.0/8, ::1), multicast (224.0.0.0/4, ff00::/8), the limited
 *     broadcast 255.255.255.255 and the reserved 240.0.0.0/4: not an address of a host at all, or one that local
 *     services listen on;
 * <li>link-local (169.254.0.0/16, fe80::/10): valid only on one link, which the tunnel is not;
 * <li>an address of the other family than its attribute, which includes IPv4-mapped IPv6 (::ffff:0:0/96), an IPv4
 *     address in disguise;
 * <li>our own address toward the gateway, and the gateway's own address: as a virtual IP either would route the
 *     IKE and ESP packets themselves into the tunnel; as a DNS server, the gateway's address is reached outside
 *     the tunnel (its route bypasses it), so the queries would leave in clear text.
 * </ul>
 * A refused virtual IP refuses the whole reply (the connection cannot work without it); a refused DNS server is
 * left out and the others are kept (ConfigRequestTask).
 */
final class AssignedAddresses {

    private AssignedAddresses() {
    }

    /**
     * Why {@code address} may not be assigned, or {@code null} when it may.
     *
     * @param ipv6    whether the attribute is one of IPv6 (INTERNAL_IP6_*)
     * @param ours    our address toward the gateway (the IKE SA's local address)
     * @param gateway the gateway's address
     */
    static String problem(InetAddress address, boolean ipv6, InetAddress ours, InetAddress gateway) {
        if (address instanceof Inet6Address != ipv6) {
            return ipv6 ? "not an IPv6 address (::ffff:0:0/96 maps IPv4)" : "not an IPv4 address";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (address instanceof Inet4Address && (address.getAddress()[0] & 0xf0) == 0xf0) {
            return (address.getAddress()[0] & 0xff) == 0xff && address.equals(BROADCAST) ? "the broadcast address"
                    : "a reserved address (240.0.0.0/4)";
        }
        if (address.equals(ours)) {
            return "our own address toward the gateway";
        }
        if (address.equals(gateway)) {
            return "the gateway's own address";
        }
        return null;
    }

    private static final InetAddress BROADCAST = broadcast();

    private static InetAddress broadcast() {
        try {
            return InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
