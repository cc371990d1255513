package org.mobilevpn.api.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Building selectors from profile text: CIDR prefixes and single addresses, never DNS names. */
class TrafficSelectorTest {

    @Test
    void prefixesBecomeInclusiveRanges() throws Exception {
        TrafficSelector lan = TrafficSelector.ofPrefix("203.0.113.77/24");
        assertEquals(InetAddress.getByName("203.0.113.0"), lan.startAddress());
        assertEquals(InetAddress.getByName("203.0.113.255"), lan.endAddress());
        assertTrue(lan.anyPort());
        assertEquals(0, lan.protocol());
        TrafficSelector v6 = TrafficSelector.ofPrefix("2001:db8::/32");
        assertTrue(v6.isIpv6());
        assertEquals(InetAddress.getByName("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), v6.endAddress());
        TrafficSelector odd = TrafficSelector.ofPrefix("198.18.0.0/23");
        assertEquals(InetAddress.getByName("198.18.1.255"), odd.endAddress());
        TrafficSelector host = TrafficSelector.ofPrefix("198.18.0.1");
        assertEquals(host.startAddress(), host.endAddress());
        assertEquals(InetAddress.getByName("255.255.255.255"), TrafficSelector.ANY_IPV4.endAddress());
    }

    @Test
    void rejectsNamesBadPrefixesAndInvertedRanges() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ofPrefix("gw.example.org/24"));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ofPrefix("203.0.113.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ofPrefix("203.0.113.0/x"));
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(0,
                InetAddress.getByName("203.0.113.9"), InetAddress.getByName("203.0.113.1"), 0, 65535));
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(0,
                InetAddress.getByName("203.0.113.1"), InetAddress.getByName("2001:db8::1"), 0, 65535));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ANY_IPV4.withProtocolAndPorts(6, 90, 80));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ANY_IPV4.withProtocolAndPorts(256, 0, 1));
    }
}
