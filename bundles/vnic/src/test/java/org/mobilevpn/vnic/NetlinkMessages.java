package org.mobilevpn.vnic;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds rtnetlink datagrams the way the kernel lays them out (host byte order, 4-octet alignment), for tests. */
final class NetlinkMessages {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static byte[] attr(int type, byte[] payload) {
        int len = 4 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(Rtnetlink.align(len)).order(ByteOrder.nativeOrder());
        b.putShort((short) len).putShort((short) type).put(payload);
        return b.array();
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    static byte[] ip(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] name(String n) {
        byte[] s = n.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return z;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    NetlinkMessages message(int type, int flags, int seq, byte[] body) {
        int len = Rtnetlink.NLMSG_HDRLEN + body.length;
        ByteBuffer b = ByteBuffer.allocate(Rtnetlink.align(len)).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0).put(body);
        out.writeBytes(b.array());
        return this;
    }

    NetlinkMessages link(int index, String name, int flags, int seq) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(index).putInt(flags).putInt(0);
        return message(Rtnetlink.RTM_NEWLINK, 2, seq, concat(b.array(), attr(Rtnetlink.IFLA_IFNAME, name(name))));
    }

    NetlinkMessages address(int index, String address, int prefix, int scope, int flags, int seq) {
        boolean v6 = address.contains(":");
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.put((byte) (v6 ? Rtnetlink.AF_INET6 : Rtnetlink.AF_INET)).put((byte) prefix).put((byte) 0).put((byte) scope)
                .putInt(index);
        byte[] attrs = v6 ? attr(Rtnetlink.IFA_ADDRESS, ip(address))
                : concat(attr(Rtnetlink.IFA_ADDRESS, ip(address)), attr(Rtnetlink.IFA_LOCAL, ip(address)));
        return message(Rtnetlink.RTM_NEWADDR, 2, seq, concat(b.array(), attrs, attr(Rtnetlink.IFA_FLAGS, u32(flags))));
    }

    /** A route; {@code destination} null for a default route, {@code gateway} null for a connected one. */
    NetlinkMessages route(int type, int table, String destination, int length, String gateway, int oif, int metric,
            int seq) {
        boolean v6 = (destination != null ? destination : gateway != null ? gateway : "").contains(":");
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        b.put((byte) (v6 ? Rtnetlink.AF_INET6 : Rtnetlink.AF_INET)).put((byte) length).put((byte) 0).put((byte) 0)
                .put((byte) Math.min(table, 252)).put((byte) 3).put((byte) 0).put((byte) type).putInt(0);
        byte[] attrs = concat(attr(Rtnetlink.RTA_TABLE, u32(table)), attr(Rtnetlink.RTA_OIF, u32(oif)),
                attr(Rtnetlink.RTA_PRIORITY, u32(metric)));
        if (destination != null) {
            attrs = concat(attrs, attr(Rtnetlink.RTA_DST, ip(destination)));
        }
        if (gateway != null) {
            attrs = concat(attrs, attr(Rtnetlink.RTA_GATEWAY, ip(gateway)));
        }
        return message(Rtnetlink.RTM_NEWROUTE, 2, seq, concat(b.array(), attrs));
    }

    NetlinkMessages done(int seq) {
        return message(Rtnetlink.NLMSG_DONE, 2, seq, u32(0));
    }

    ByteBuffer datagram() {
        return ByteBuffer.wrap(out.toByteArray());
    }
}
