package org.mobilevpn.api.ipsec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The one selector type: prefixes from text (never DNS), the checks of both former types, narrowing. */
class TrafficSelectorTest {

    @Test
    void prefixesBecomeInclusiveRanges() throws Exception {
        TrafficSelector lan = TrafficSelector.parse("203.0.113.77/24");
        assertEquals(InetAddress.getByName("203.0.113.0"), lan.startAddress());
        assertEquals(InetAddress.getByName("203.0.113.255"), lan.endAddress());
        assertTrue(lan.anyPort());
        assertEquals(0, lan.protocol());
        TrafficSelector v6 = TrafficSelector.parse("2001:db8::/33");
        assertTrue(v6.isIpv6());
        assertEquals(InetAddress.getByName("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff"), v6.endAddress());
        assertEquals(InetAddress.getByName("198.18.1.255"), TrafficSelector.parse("198.18.0.0/23").endAddress());
        TrafficSelector host = TrafficSelector.parse("198.18.0.1");
        assertEquals(host.startAddress(), host.endAddress());
        assertEquals(InetAddress.getByName("255.255.255.255"), TrafficSelector.ANY_IPV4.endAddress());
        assertEquals(TrafficSelector.ANY_IPV6, TrafficSelector.any(true));
    }

    @Test
    void rejectsNamesBadPrefixesAndInvertedRanges() throws Exception {
        for (String bad : new String[] {"gw.example.org/24", "example.org", "203.0.113.0/33", "203.0.113.0/x", "10.0.0.0/",
                "203.0.113/24", "2001:db8::/129"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrafficSelector.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad.split("/")[0]) , e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(0,
                InetAddress.getByName("203.0.113.9"), InetAddress.getByName("203.0.113.1"), 0, 65535));
        assertThrows(IllegalArgumentException.class, () -> new TrafficSelector(0,
                InetAddress.getByName("203.0.113.1"), InetAddress.getByName("2001:db8::1"), 0, 65535));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ANY_IPV4.withProtocolAndPorts(6, 90, 80));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ANY_IPV4.withProtocolAndPorts(256, 0, 1));
    }

    @Test
    void narrowingChecks() throws Exception {
        TrafficSelector host = TrafficSelector.ofAddress(InetAddress.getByName("198.18.0.1"));
        assertTrue(host.isWithin(TrafficSelector.ANY_IPV4));
        assertFalse(TrafficSelector.ANY_IPV4.isWithin(host));
        assertFalse(host.isWithin(TrafficSelector.ANY_IPV6));
        assertFalse(TrafficSelector.ANY_IPV4.isWithin(TrafficSelector.ANY_IPV4.withProtocolAndPorts(6, 0, 65535)));
        assertTrue(TrafficSelector.parse("203.0.113.0/24").contains(InetAddress.getByName("203.0.113.9")));
        assertFalse(TrafficSelector.parse("203.0.113.0/24").contains(InetAddress.getByName("2001:db8::1")));
    }

    @Test
    void printsAsStatusOutputShowsIt() {
        assertEquals("198.18.0.1", TrafficSelector.parse("198.18.0.1").toString());
        assertEquals("203.0.113.0..203.0.113.255[6/443-443]",
                TrafficSelector.parse("203.0.113.0/24").withProtocolAndPorts(6, 443, 443).toString());
        assertEquals("0.0.0.0..255.255.255.255[17]", TrafficSelector.ANY_IPV4.withProtocolAndPorts(17, 0, 65535).toString());
    }
}
