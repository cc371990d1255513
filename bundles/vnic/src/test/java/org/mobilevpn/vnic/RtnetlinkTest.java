package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtnetlinkTest {

    @Test
    void decodesLinksAddressesRoutesAndTheEndOfADump() throws Exception {
        ByteBuffer d = new NetlinkMessages().link(3, "wan0", Rtnetlink.IFF_UP | Rtnetlink.IFF_LOWER_UP, 7)
                .address(3, "198.51.100.66", 26, 0, 0, 7)
                .address(3, "2001:db8:1::2", 64, 0, Rtnetlink.IFA_F_TENTATIVE, 7)
                .route(Rtnetlink.RTN_UNICAST, 254, null, 0, "198.51.100.65", 3, 100, 7).done(7).datagram();
        List<Object> m = Rtnetlink.decode(d);
        assertEquals(5, m.size(), m.toString());
        Rtnetlink.Link link = (Rtnetlink.Link) m.get(0);
        assertEquals(3, link.index());
        assertEquals("wan0", link.name());
        assertEquals(7, link.header().seq());
        Rtnetlink.Address v4 = (Rtnetlink.Address) m.get(1);
        assertEquals(InetAddress.getByName("198.51.100.66"), v4.address());
        assertEquals(26, v4.prefixLength());
        Rtnetlink.Address v6 = (Rtnetlink.Address) m.get(2);
        assertEquals(InetAddress.getByName("2001:db8:1::2"), v6.address());
        assertEquals(Rtnetlink.IFA_F_TENTATIVE, v6.flags() & Rtnetlink.IFA_F_TENTATIVE, "the 32-bit IFA_FLAGS win");
        Rtnetlink.Route r = (Rtnetlink.Route) m.get(3);
        assertEquals(InetAddress.getByName("0.0.0.0"), r.destination(), "no RTA_DST: a default route");
        assertEquals(0, r.destinationLength());
        assertEquals(InetAddress.getByName("198.51.100.65"), r.gateway());
        assertEquals(3, r.linkIndex());
        assertEquals(100, r.metric());
        assertEquals(254, r.table());
        assertNull(r.preferredSource());
        assertEquals(Rtnetlink.NLMSG_DONE, ((Rtnetlink.Control) m.get(4)).header().type());
    }

    @Test
    void aMultipathRouteIsOneRouteForEachNextHop() throws Exception {
        byte[] hop1 = NetlinkMessages.concat(hop(8 + 20, 4), NetlinkMessages.attr(Rtnetlink.RTA_GATEWAY,
                NetlinkMessages.ip("2001:db8:1::1")));
        byte[] hop2 = NetlinkMessages.concat(hop(8 + 20, 5), NetlinkMessages.attr(Rtnetlink.RTA_GATEWAY,
                NetlinkMessages.ip("2001:db8:2::1")));
        ByteBuffer rtmsg = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        rtmsg.put((byte) Rtnetlink.AF_INET6).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 254).put((byte) 3)
                .put((byte) 0).put((byte) Rtnetlink.RTN_UNICAST).putInt(0);
        byte[] body = NetlinkMessages.concat(rtmsg.array(), NetlinkMessages.attr(Rtnetlink.RTA_PRIORITY,
                NetlinkMessages.u32(1024)), NetlinkMessages.attr(Rtnetlink.RTA_MULTIPATH, NetlinkMessages.concat(hop1, hop2)));
        List<Object> m = Rtnetlink.decode(new NetlinkMessages().message(Rtnetlink.RTM_NEWROUTE, 0, 1, body).datagram());
        assertEquals(2, m.size());
        assertEquals(4, ((Rtnetlink.Route) m.get(0)).linkIndex());
        assertEquals(InetAddress.getByName("2001:db8:2::1"), ((Rtnetlink.Route) m.get(1)).gateway());
        assertEquals(1024, ((Rtnetlink.Route) m.get(1)).metric());
    }

    private static byte[] hop(int len, int ifindex) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putShort((short) len).put((byte) 0).put((byte) 0).putInt(ifindex);
        return b.array();
    }

    @Test
    void aLengthBeyondTheDatagramIsRefusedNotRead() {
        ByteBuffer d = new NetlinkMessages().link(3, "wan0", 0, 1).datagram();
        d.putInt(0, 4096);
        assertThrows(IllegalArgumentException.class, () -> Rtnetlink.decode(d));
        ByteBuffer attr = new NetlinkMessages().link(3, "wan0", 0, 1).datagram();
        attr.putShort(16 + 16, (short) 200); // IFLA_IFNAME claims more than the message holds
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rtnetlink.decode(attr));
        assertTrue(e.getMessage().contains("attribute length"), e.getMessage());
    }

    @Test
    void aDumpRequestIsAHeaderAndAZeroedFamilyHeader() {
        ByteBuffer r = Rtnetlink.dumpRequest(Rtnetlink.RTM_GETROUTE, 42).order(ByteOrder.nativeOrder());
        assertEquals(16 + 12, r.remaining());
        assertEquals(28, r.getInt(0));
        assertEquals(Rtnetlink.RTM_GETROUTE, r.getShort(4));
        assertEquals(Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_DUMP, r.getShort(6));
        assertEquals(42, r.getInt(8));
        assertEquals(16 + 16, Rtnetlink.dumpRequest(Rtnetlink.RTM_GETLINK, 1).remaining());
        assertEquals(16 + 8, Rtnetlink.dumpRequest(Rtnetlink.RTM_GETADDR, 1).remaining());
    }
}
