package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.profile.GatewayAddress;

/** remote_addrs entries, traffic selectors and PSK encodings. */
class SyntaxTest {

    @Test
    void gatewayAddressesWithAndWithoutPort() {
        assertEquals(new GatewayAddress("198.51.100.1", 500), GatewayAddressParser.parse("198.51.100.1", 500));
        assertEquals(new GatewayAddress("198.51.100.1", 4500), GatewayAddressParser.parse("198.51.100.1:4500", 500));
        assertEquals(new GatewayAddress("gw.example.org", 4501), GatewayAddressParser.parse("gw.example.org", 4501));
        assertEquals(new GatewayAddress("gw.example.org", 1500), GatewayAddressParser.parse("gw.example.org:1500", 500));
        assertEquals(new GatewayAddress("2001:db8::1", 500), GatewayAddressParser.parse("2001:db8::1", 500));
        assertEquals(new GatewayAddress("2001:db8::1", 4500), GatewayAddressParser.parse("[2001:db8::1]:4500", 500));
    }

    @ParameterizedTest
    @ValueSource(strings = {"300.1.1.1", "198.51.100", "198.51.100.1:0", "198.51.100.1:70000", "gw:http", "%any",
            "198.51.100.0/24", "198.51.100.1-198.51.100.9", "[198.51.100.1]:500", "[2001:db8::1", "2001:db8::g1",
            "bad_host.example", "-gw.example.org", "gw..example.org", "[2001:db8::1]x", "g w"})
    void badGatewayAddressesNameTheEntry(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayAddressParser.parse(entry, 500));
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    }

    @Test
    void trafficSelectorsInSwanctlSyntax() throws Exception {
        assertEquals(List.of(TrafficSelector.parse("203.0.113.0/24")), ts("203.0.113.0/24"));
        assertEquals(List.of(TrafficSelector.parse("203.0.113.7/32")), ts("203.0.113.7"));
        assertEquals(List.of(new TrafficSelector(6, InetAddress.getByName("203.0.113.0"), InetAddress.getByName("203.0.113.255"), 443, 443)),
                ts("203.0.113.0/24[tcp/443]"));
        assertEquals(List.of(new TrafficSelector(17, InetAddress.getByName("203.0.113.10"), InetAddress.getByName("203.0.113.20"), 1000, 2000)),
                ts("203.0.113.10-203.0.113.20[udp/1000-2000]"));
        assertEquals(List.of(TrafficSelector.ANY_IPV4, TrafficSelector.ANY_IPV6), ts("%any"));
        assertEquals(List.of(TrafficSelector.parse("2001:db8::/32")), ts("2001:db8::/32"));
        assertEquals(List.of(new TrafficSelector(47, InetAddress.getByName("0.0.0.0"), InetAddress.getByName("255.255.255.255"),
                0, 65535)), ts("%any4[gre]"));
        assertTrue(TrafficSelectorParser.split("dynamic[tcp/22]").isDynamic());
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.0/33", "203.0.113.0/x", "203.0.113.9-203.0.113.1", "203.0.113.1-2001:db8::1",
            "lan.example.org", "203.0.113.0/24[tcp", "203.0.113.0/24[smtp/25]", "203.0.113.0/24[tcp/99999]",
            "203.0.113.0/24[/80]", "203.0.113.0/24[icmp/8]", "203.0.113.0/24[tcp/90-80]", "256.0.0.0/8"})
    void badTrafficSelectorsNameTheEntry(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ts(entry));
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    }

    private static List<TrafficSelector> ts(String entry) {
        return TrafficSelectorParser.selectors(TrafficSelectorParser.split(entry), entry);
    }

    @Test
    void pskEncodingsOfStrongSwan() {
        try (SecretBytes text = PskParser.parse("correct horse");
             SecretBytes hex = PskParser.parse("0x00ff10");
             SecretBytes b64 = PskParser.parse("0sAP8Q")) {
            assertArrayEquals("correct horse".getBytes(StandardCharsets.UTF_8), text.toByteArray());
            assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, hex.toByteArray());
            assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, b64.toByteArray());
        }
    }

    @Test
    void badPskEncodingsNeverEchoTheValue() {
        for (String bad : new String[] {"0xabc", "0xzz", "0s@@@", "0x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PskParser.parse(bad));
            assertFalse(e.getMessage().contains(bad.substring(2).isEmpty() ? "\u0000" : bad.substring(2)), e.getMessage());
        }
    }

    @Test
    void hostNamesAreNotLiterals() {
        assertTrue(GatewayAddressParser.isHostName("gw-1.example.org"));
        assertFalse(GatewayAddressParser.isHostName("1.2.3.4"));
        assertFalse(GatewayAddressParser.isHostName("deadbeef:1"));
    }
}
