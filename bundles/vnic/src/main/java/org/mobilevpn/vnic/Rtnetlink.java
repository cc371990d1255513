package org.mobilevpn.vnic;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rtnetlink messages the network watcher reads (rtnetlink(7), netlink(7)): links, addresses and routes, as
 * dump answers and as multicast notifications. Pure decoding and encoding of the kernel's structures in host byte
 * order; every length is checked, and a malformed message ends the datagram's decoding with an
 * {@link IllegalArgumentException} instead of reading beyond it.
 */
final class Rtnetlink {
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_DUMP = 0x300;
    /** A dump that changed while it was taken (netlink(7)): take it again. */
    static final int NLM_F_DUMP_INTR = 0x10;

    /** Multicast groups (the legacy bit masks of sockaddr_nl.nl_groups). */
    static final int RTMGRP_LINK = 0x1;
    static final int RTMGRP_IPV4_IFADDR = 0x10;
    static final int RTMGRP_IPV4_ROUTE = 0x40;
    static final int RTMGRP_IPV6_IFADDR = 0x100;
    static final int RTMGRP_IPV6_ROUTE = 0x400;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int IFF_UP = 0x1;
    static final int IFF_LOOPBACK = 0x8;
    static final int IFF_LOWER_UP = 0x10000;
    static final int IFLA_IFNAME = 3;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_DADFAILED = 0x08;
    static final int IFA_F_DEPRECATED = 0x20;
    static final int IFA_F_TENTATIVE = 0x40;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_MULTIPATH = 9;
    static final int RTA_TABLE = 15;
    static final int RTN_UNICAST = 1;
    static final int RT_TABLE_MAIN = 254;

    private static final int IFINFOMSG = 16;
    private static final int IFADDRMSG = 8;
    private static final int RTMSG = 12;
    private static final int RTNEXTHOP = 8;

    private Rtnetlink() {
    }

    /** A message's header: what it is and which request it answers. */
    record Header(int type, int flags, int seq) {
    }

    /** RTM_NEWLINK / RTM_DELLINK. */
    record Link(Header header, int index, String name, int flags) {
    }

    /** RTM_NEWADDR / RTM_DELADDR: the local address ({@code IFA_LOCAL}, else {@code IFA_ADDRESS}). */
    record Address(Header header, int index, InetAddress address, int prefixLength, int scope, int flags) {
    }

    /** One next hop of RTM_NEWROUTE / RTM_DELROUTE (several for a multipath route). */
    record Route(Header header, int table, int type, InetAddress destination, int destinationLength,
            InetAddress gateway, int linkIndex, int metric, InetAddress preferredSource) {
    }

    /** NLMSG_DONE, NLMSG_ERROR (with the negative errno, 0 for an acknowledgement) or NLMSG_OVERRUN. */
    record Control(Header header, int error) {
    }

    /** Any other message type, skipped. */
    record Other(Header header) {
    }

    /**
     * Decodes the messages of one received datagram (a dump answer may hold many).
     *
     * @throws IllegalArgumentException when a length field points outside the datagram
     */
    static List<Object> decode(ByteBuffer datagram) {
        ByteBuffer b = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<Object> out = new ArrayList<>();
        while (b.remaining() >= NLMSG_HDRLEN) {
            int start = b.position();
            int length = b.getInt(start);
            if (length < NLMSG_HDRLEN || length > b.remaining()) {
                throw new IllegalArgumentException("netlink message length " + length + " with " + b.remaining()
                        + " octets left");
            }
            Header h = new Header(Short.toUnsignedInt(b.getShort(start + 4)), Short.toUnsignedInt(b.getShort(start + 6)),
                    b.getInt(start + 8));
            ByteBuffer body = b.duplicate().order(ByteOrder.nativeOrder());
            body.position(start + NLMSG_HDRLEN).limit(start + length);
            decodeBody(h, body.slice().order(ByteOrder.nativeOrder()), out);
            b.position(Math.min(b.limit(), start + align(length)));
        }
        return out;
    }

    private static void decodeBody(Header h, ByteBuffer body, List<Object> out) {
        switch (h.type()) {
            case NLMSG_DONE:
            case NLMSG_OVERRUN:
                out.add(new Control(h, 0));
                break;
            case NLMSG_ERROR:
                out.add(new Control(h, body.remaining() >= 4 ? body.getInt(0) : 0));
                break;
            case RTM_NEWLINK:
            case RTM_DELLINK:
                out.add(link(h, body));
                break;
            case RTM_NEWADDR:
            case RTM_DELADDR:
                out.add(address(h, body));
                break;
            case RTM_NEWROUTE:
            case RTM_DELROUTE:
                routes(h, body, out);
                break;
            default:
                out.add(new Other(h));
        }
    }

    private static Link link(Header h, ByteBuffer body) {
        require(body, IFINFOMSG, "ifinfomsg");
        int index = body.getInt(4);
        int flags = body.getInt(8);
        String name = null;
        for (ByteBuffer[] a : attributes(body, IFINFOMSG)) {
            if (type(a) == IFLA_IFNAME) {
                name = string(a[1]);
            }
        }
        return new Link(h, index, name == null ? "if" + index : name, flags);
    }

    private static Address address(Header h, ByteBuffer body) {
        require(body, IFADDRMSG, "ifaddrmsg");
        int family = Byte.toUnsignedInt(body.get(0));
        int prefix = Byte.toUnsignedInt(body.get(1));
        int flags = Byte.toUnsignedInt(body.get(2));
        int scope = Byte.toUnsignedInt(body.get(3));
        int index = body.getInt(4);
        InetAddress address = null;
        InetAddress local = null;
        for (ByteBuffer[] a : attributes(body, IFADDRMSG)) {
            switch (type(a)) {
                case IFA_ADDRESS:
                    address = ip(family, a[1]);
                    break;
                case IFA_LOCAL:
                    local = ip(family, a[1]);
                    break;
                case IFA_FLAGS:
                    if (a[1].remaining() >= 4) {
                        flags = a[1].getInt(0); // the full 32-bit flags (the header has only 8)
                    }
                    break;
                default:
                    break;
            }
        }
        return new Address(h, index, local != null ? local : address, prefix, scope, flags);
    }

    private static void routes(Header h, ByteBuffer body, List<Object> out) {
        require(body, RTMSG, "rtmsg");
        int family = Byte.toUnsignedInt(body.get(0));
        int dstLength = Byte.toUnsignedInt(body.get(1));
        int table = Byte.toUnsignedInt(body.get(4));
        int type = Byte.toUnsignedInt(body.get(7));
        InetAddress dst = null;
        InetAddress gateway = null;
        InetAddress prefsrc = null;
        int oif = 0;
        int metric = 0;
        ByteBuffer multipath = null;
        for (ByteBuffer[] a : attributes(body, RTMSG)) {
            switch (type(a)) {
                case RTA_DST:
                    dst = ip(family, a[1]);
                    break;
                case RTA_GATEWAY:
                    gateway = ip(family, a[1]);
                    break;
                case RTA_PREFSRC:
                    prefsrc = ip(family, a[1]);
                    break;
                case RTA_OIF:
                    oif = int32(a[1]);
                    break;
                case RTA_PRIORITY:
                    metric = int32(a[1]);
                    break;
                case RTA_TABLE:
                    table = int32(a[1]);
                    break;
                case RTA_MULTIPATH:
                    multipath = a[1];
                    break;
                default:
                    break;
            }
        }
        if (dst == null) {
            dst = ip(family, ByteBuffer.allocate(family == AF_INET6 ? 16 : 4));
        }
        if (multipath == null) {
            out.add(new Route(h, table, type, dst, dstLength, gateway, oif, metric, prefsrc));
            return;
        }
        // struct rtnexthop { u16 len; u8 flags; u8 hops; int ifindex; } followed by its own attributes
        ByteBuffer m = multipath.duplicate().order(ByteOrder.nativeOrder());
        while (m.remaining() >= RTNEXTHOP) {
            int start = m.position();
            int len = Short.toUnsignedInt(m.getShort(start));
            if (len < RTNEXTHOP || len > m.remaining()) {
                throw new IllegalArgumentException("rtnexthop length " + len);
            }
            ByteBuffer hop = m.duplicate().order(ByteOrder.nativeOrder());
            hop.position(start).limit(start + len);
            hop = hop.slice().order(ByteOrder.nativeOrder());
            InetAddress hopGateway = gateway;
            for (ByteBuffer[] a : attributes(hop, RTNEXTHOP)) {
                if (type(a) == RTA_GATEWAY) {
                    hopGateway = ip(family, a[1]);
                }
            }
            out.add(new Route(h, table, type, dst, dstLength, hopGateway, hop.getInt(4), metric, prefsrc));
            m.position(Math.min(m.limit(), start + align(len)));
        }
    }

    /** The attributes after a fixed header of {@code offset} octets: each as {type (2 octets), payload}. */
    private static List<ByteBuffer[]> attributes(ByteBuffer body, int offset) {
        List<ByteBuffer[]> out = new ArrayList<>();
        int pos = offset;
        while (pos + 4 <= body.limit()) {
            int len = Short.toUnsignedInt(body.getShort(pos));
            int type = Short.toUnsignedInt(body.getShort(pos + 2)) & 0x3fff; // without NLA_F_NESTED / BYTEORDER
            if (len < 4 || pos + len > body.limit()) {
                throw new IllegalArgumentException("attribute length " + len + " at " + pos + " of " + body.limit());
            }
            ByteBuffer t = ByteBuffer.allocate(2).putShort(0, (short) type);
            ByteBuffer payload = body.duplicate().order(ByteOrder.nativeOrder());
            payload.position(pos + 4).limit(pos + len);
            out.add(new ByteBuffer[] {t, payload.slice().order(ByteOrder.nativeOrder())});
            pos += align(len);
        }
        return out;
    }

    private static int type(ByteBuffer[] attribute) {
        return attribute[0].getShort(0);
    }

    private static int int32(ByteBuffer b) {
        if (b.remaining() < 4) {
            throw new IllegalArgumentException("a 32-bit attribute of " + b.remaining() + " octets");
        }
        return b.getInt(0);
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    private static InetAddress ip(int family, ByteBuffer b) {
        int n = family == AF_INET6 ? 16 : family == AF_INET ? 4 : -1;
        if (n < 0 || b.remaining() < n) {
            throw new IllegalArgumentException("an address of family " + family + " in " + b.remaining() + " octets");
        }
        byte[] bytes = new byte[n];
        b.duplicate().get(bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void require(ByteBuffer body, int length, String what) {
        if (body.remaining() < length) {
            throw new IllegalArgumentException(what + " of " + body.remaining() + " octets, expected " + length);
        }
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /**
     * A dump request for every link, address or route of every family: the header and a zeroed ifinfomsg,
     * ifaddrmsg or rtmsg (family AF_UNSPEC), as the kernel's strict checking accepts it.
     */
    static ByteBuffer dumpRequest(int type, int seq) {
        int body = type == RTM_GETLINK ? IFINFOMSG : type == RTM_GETADDR ? IFADDRMSG : RTMSG;
        ByteBuffer b = ByteBuffer.allocateDirect(NLMSG_HDRLEN + body).order(ByteOrder.nativeOrder());
        b.putInt(NLMSG_HDRLEN + body).putShort((short) type).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP))
                .putInt(seq).putInt(0);
        while (b.hasRemaining()) {
            b.put((byte) 0);
        }
        return b.flip();
    }
}
