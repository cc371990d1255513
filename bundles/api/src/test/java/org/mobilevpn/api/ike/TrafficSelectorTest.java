package org.mobilevpn.api.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TrafficSelectorTest {

    @Test
    void cidrBecomesInclusiveRange() throws Exception {
        TrafficSelector lan = TrafficSelector.ofCidr("203.0.113.7/24");
        assertEquals(InetAddress.getByName("203.0.113.0"), lan.startAddress());
        assertEquals(InetAddress.getByName("203.0.113.255"), lan.endAddress());
        TrafficSelector v6 = TrafficSelector.ofCidr("2001:db8::/33");
        assertEquals(InetAddress.getByName("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff"), v6.endAddress());
        assertEquals(InetAddress.getByName("255.255.255.255"), TrafficSelector.anyIpv4().endAddress());
    }

    @Test
    void narrowingChecks() throws Exception {
        TrafficSelector host = TrafficSelector.ofAddress(InetAddress.getByName("198.18.0.1"));
        assertTrue(host.isWithin(TrafficSelector.anyIpv4()));
        assertFalse(TrafficSelector.anyIpv4().isWithin(host));
        assertFalse(host.isWithin(TrafficSelector.anyIpv6()));
        assertTrue(TrafficSelector.ofCidr("203.0.113.0/24").contains(InetAddress.getByName("203.0.113.9")));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ofCidr("203.0.113.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ofCidr("example.org/24"));
        assertThrows(IllegalArgumentException.class, () -> TrafficSelector.ofCidr("10.0.0.0/x"));
    }
}
