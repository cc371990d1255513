package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.net.IpPrefix;

class AddressRangesTest {

    private static List<String> prefixes(String start, String end) {
        return AddressRanges.prefixes(Fakes.ip(start), Fakes.ip(end)).stream().map(IpPrefix::toString).toList();
    }

    @Test
    void anAlignedRangeIsOnePrefix() {
        assertEquals(List.of("203.0.113.0/24"), prefixes("203.0.113.0", "203.0.113.255"));
        assertEquals(List.of("0.0.0.0/0"), prefixes("0.0.0.0", "255.255.255.255"));
        assertEquals(List.of("198.18.0.1/32"), prefixes("198.18.0.1", "198.18.0.1"));
        assertEquals(List.of("0:0:0:0:0:0:0:0/0"), prefixes("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertEquals(List.of("2001:db8:113:0:0:0:0:0/64"), prefixes("2001:db8:113::", "2001:db8:113::ffff:ffff:ffff:ffff"));
    }

    @Test
    void anUnalignedRangeIsTheFewestPrefixesCoveringItExactly() {
        assertEquals(List.of("203.0.113.1/32", "203.0.113.2/31", "203.0.113.4/30", "203.0.113.8/29", "203.0.113.16/28",
                "203.0.113.32/27", "203.0.113.64/26", "203.0.113.128/26", "203.0.113.192/27", "203.0.113.224/28",
                "203.0.113.240/29", "203.0.113.248/30", "203.0.113.252/31", "203.0.113.254/32"),
                prefixes("203.0.113.1", "203.0.113.254"));
        assertEquals(List.of("198.51.100.10/31", "198.51.100.12/31"), prefixes("198.51.100.10", "198.51.100.13"));
    }

    @Test
    void theLastAddressOfTheSpaceDoesNotOverflow() {
        assertEquals(List.of("255.255.255.255/32"), prefixes("255.255.255.255", "255.255.255.255"));
        assertEquals(List.of("255.255.255.254/31"), prefixes("255.255.255.254", "255.255.255.255"));
    }

    @Test
    void mixedFamiliesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> prefixes("198.18.0.1", "::1"));
    }
}
