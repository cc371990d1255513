package org.mobilevpn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatusFormatTest {

    @Test
    void bytesInBinaryUnits() {
        assertEquals("0 B", StatusFormat.bytes(0));
        assertEquals("1023 B", StatusFormat.bytes(1023));
        assertEquals("1.0 KiB", StatusFormat.bytes(1024));
        assertEquals("100.0 MiB", StatusFormat.bytes(100L << 20));
        assertEquals("1.5 GiB", StatusFormat.bytes(3L << 29));
    }

    @Test
    void durationsReadable() {
        assertEquals("42 ms", StatusFormat.duration(Duration.ofMillis(42)));
        assertEquals("59 s", StatusFormat.duration(Duration.ofSeconds(59)));
        assertEquals("3 min 05 s", StatusFormat.duration(Duration.ofSeconds(185)));
        assertEquals("1 h 02 min", StatusFormat.duration(Duration.ofMinutes(62)));
        assertEquals("2 d 03 h", StatusFormat.duration(Duration.ofHours(51)));
        assertEquals("0 ms", StatusFormat.duration(Duration.ofSeconds(-5)));
    }

    @Test
    void addressesAndEndpoints() throws Exception {
        assertEquals("198.51.100.1:4500", StatusFormat.endpoint(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 4500)));
        assertEquals("[2001:db8:0:0:0:0:0:1]:500", StatusFormat.endpoint(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 500)));
        assertEquals("-", StatusFormat.addresses(List.of()));
        assertEquals("198.18.0.1, 203.0.113.53", StatusFormat.addresses(List.of(InetAddress.getByName("198.18.0.1"),
                InetAddress.getByName("203.0.113.53"))));
        assertEquals("-", StatusFormat.counts(Map.of()));
        assertEquals("ICV_FAIL=1, REPLAY=2", StatusFormat.counts(new TreeMap<>(Map.of("REPLAY", 2L, "ICV_FAIL", 1L))));
        assertEquals("0000abcd", StatusFormat.spi(0xabcd));
        assertEquals("c0000001", StatusFormat.spi(0xc0000001));
    }
}
