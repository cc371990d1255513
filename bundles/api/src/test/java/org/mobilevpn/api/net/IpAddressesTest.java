package org.mobilevpn.api.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one literal parser: strict dotted quads and IPv6 literals, never DNS, errors that quote the text. */
class IpAddressesTest {

    @Test
    void readsLiterals() throws Exception {
        assertEquals(InetAddress.getByName("198.51.100.1"), IpAddresses.parse("198.51.100.1"));
        assertEquals(InetAddress.getByName("2001:db8::1"), IpAddresses.parse("2001:db8::1"));
        assertEquals(InetAddress.getByName("0.0.0.0"), IpAddresses.parse("0.0.0.0"));
        assertTrue(IpAddresses.isIpv6(IpAddresses.parse("::")));
        assertEquals(IpPrefix.of(InetAddress.getByName("198.18.0.5"), 24), IpPrefix.parse("198.18.0.5/24"));
        assertEquals("198.18.0.0", IpPrefix.parse("198.18.0.5/24").first().getHostAddress());
        assertEquals("198.18.0.255", IpPrefix.parse("198.18.0.5/24").last().getHostAddress());
        assertEquals(IpPrefix.host(InetAddress.getByName("2001:db8::1")), IpPrefix.parse("2001:db8::1"));
    }

    /** Each of these the JDK's InetAddress.getByName would read as some address or look up in DNS. */
    @ParameterizedTest
    @ValueSource(strings = {"300.1.1.1", "198.51.100", "198.51.100.1.2", "1.2.3.0x4", "0x7f.0.0.1", "198.51.100.01234",
            "198.51.100.+1", "2001:db8::g1", "2001:db8:::1", "[2001:db8::1]", "fe80::1%eth0", "", "1..2.3",
            "gw.example.org", "198.51.100.1 "})
    void rejectsWhatIsNotALiteral(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse(text));
        assertTrue(e.getMessage().startsWith("'" + text + "' is not an IPv"), e.getMessage());
    }

    @Test
    void tellsLiteralsFromNames() {
        assertTrue(IpAddresses.looksLiteral("300.1.1.1"));
        assertTrue(IpAddresses.looksLiteral("2001:db8::1"));
        assertFalse(IpAddresses.looksLiteral("gw.example.org"));
        assertFalse(IpAddresses.looksLiteral("C=DE, CN=a:b"), "a distinguished name with a colon is no address");
        assertFalse(IpAddresses.looksLiteral(""));
    }

    @Test
    void quotesControlCharactersAway() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse("1.2.3\n4"));
        assertEquals("'1.2.3?4' is not an IPv4 address", e.getMessage());
    }
}
