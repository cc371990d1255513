package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.net.LinkAddress;
import org.mobilevpn.api.net.NetworkRoute;
import org.mobilevpn.api.net.NetworkState;

class NetworkSnapshotTest {
    private static final int UP = Rtnetlink.IFF_UP | Rtnetlink.IFF_LOWER_UP;

    private static NetworkState snapshot(NetlinkMessages m) {
        return NetworkSnapshot.of(Rtnetlink.decode(m.datagram()), name -> name.startsWith("mvpn"));
    }

    @Test
    void ourTunnelDeviceWithItsAddressesAndRoutesIsNoUplink() {
        NetworkState s = snapshot(new NetlinkMessages().link(2, "wan0", UP, 1).link(9, "mvpn0", UP, 1)
                .address(2, "198.51.100.66", 26, 0, 0, 1).address(9, "198.18.0.1", 32, 0, 0, 1)
                .route(Rtnetlink.RTN_UNICAST, 254, null, 0, "198.51.100.65", 2, 100, 1)
                .route(Rtnetlink.RTN_UNICAST, 254, "203.0.113.0", 24, null, 9, 5, 1));
        assertEquals(List.of("wan0"), s.links().stream().map(l -> l.name()).toList());
        assertEquals(1, s.addresses().size());
        assertEquals(1, s.routes().size());
        assertEquals(2, s.routes().get(0).linkIndex());
    }

    @Test
    void onlyUnicastRoutesOfTheMainTableCount() {
        NetworkState s = snapshot(new NetlinkMessages().link(2, "wan0", UP, 1)
                .route(Rtnetlink.RTN_UNICAST, 255, "198.51.100.66", 32, null, 2, 0, 1) // local table
                .route(Rtnetlink.RTN_UNICAST, 220, null, 0, "198.51.100.65", 2, 0, 1) // another table
                .route(7, 254, "198.51.100.128", 25, null, 2, 0, 1) // unreachable
                .route(Rtnetlink.RTN_UNICAST, 254, "198.51.100.64", 26, null, 2, 0, 1));
        assertEquals(List.of(new NetworkRoute(IpPrefix.parse("198.51.100.64/26"), null, 2, 0, null)), s.routes());
    }

    @Test
    void tentativeAndLinkLocalAddressesAreMarkedSo() {
        NetworkState s = snapshot(new NetlinkMessages().link(2, "wan0", UP, 1)
                .address(2, "2001:db8:1::2", 64, 0, Rtnetlink.IFA_F_TENTATIVE, 1).address(2, "fe80::2", 64, 253, 0, 1));
        LinkAddress global = s.addresses().stream().filter(LinkAddress::global).findFirst().orElseThrow();
        assertFalse(global.usable());
        assertTrue(s.addresses().stream().anyMatch(a -> !a.global() && a.usable()));
    }

    @Test
    void theSameTablesInAnotherOrderAreTheSameState() {
        NetworkState a = snapshot(new NetlinkMessages().link(3, "cell0", UP, 1).link(2, "wan0", UP, 1)
                .route(Rtnetlink.RTN_UNICAST, 254, null, 0, "100.64.0.1", 3, 200, 1)
                .route(Rtnetlink.RTN_UNICAST, 254, null, 0, "198.51.100.65", 2, 100, 1));
        NetworkState b = snapshot(new NetlinkMessages().link(2, "wan0", UP, 1).link(3, "cell0", UP, 1)
                .route(Rtnetlink.RTN_UNICAST, 254, null, 0, "198.51.100.65", 2, 100, 1)
                .route(Rtnetlink.RTN_UNICAST, 254, null, 0, "100.64.0.1", 3, 200, 1));
        assertEquals(a, b);
        assertEquals("wan0 up; cell0 up; default via 198.51.100.65 dev wan0 metric 100; "
                + "default via 100.64.0.1 dev cell0 metric 200", NetworkWatcherComponent.describe(a));
    }
}
