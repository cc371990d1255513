package org.mobilevpn.api.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.TrafficSelector;

class ConnectionStatusTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private static ChildSaStatus child(long bytesIn, long bytesOut) {
        return new ChildSaStatus(1, 0xc1000001, 0xc2000002, EncryptionAlgorithm.AES_CBC_256,
                IntegrityAlgorithm.HMAC_SHA2_256_128, true, true, List.of(TrafficSelector.parse("198.18.0.1/32")),
                List.of(TrafficSelector.parse("203.0.113.0/24")), bytesIn, 3, bytesOut, 4, Map.of(), T0,
                T0.plusSeconds(3600));
    }

    @Test
    void uptimeCountsOnlyWhileConnected() throws Exception {
        ConnectionStatus.Builder b = ConnectionStatus.builder("office").state(ConnectionState.CONNECTED)
                .connectedSince(T0).virtualIps(List.of(InetAddress.getByName("198.18.0.1")));
        assertEquals(Duration.ofSeconds(90), b.takenAt(T0.plusSeconds(90)).build().uptime());
        assertEquals(Duration.ofSeconds(90), b.state(ConnectionState.DEGRADED).takenAt(T0.plusSeconds(90)).build().uptime(),
                "degraded is still established");
        assertEquals(Duration.ZERO, b.state(ConnectionState.RECONNECTING).takenAt(T0.plusSeconds(90)).build().uptime());
        assertEquals(Duration.ZERO, ConnectionStatus.builder("x").build().uptime());
    }

    @Test
    void sumsCountersOverChildSasAndKeepsEverythingThroughToBuilder() {
        ConnectionStatus s = ConnectionStatus.builder("office").state(ConnectionState.CONNECTED).wanted(true)
                .lastError(new ConnectionError(FailureReason.PEER_GONE, "DPD timeout", T0))
                .childSas(List.of(child(100, 200), child(5, 7))).drops(Map.of(DropReason.UNKNOWN_SPI, 2L))
                .degradation("no packets in on Child SA 1").degradations(2)
                .connectedSince(T0).takenAt(T0.plusSeconds(5)).build();
        assertEquals(105, s.bytesIn());
        assertEquals(207, s.bytesOut());
        assertEquals(6, s.packetsIn());
        assertEquals(8, s.packetsOut());
        assertEquals(s, s.toBuilder().build());
        assertEquals(2, s.toBuilder().build().degradations());
        assertEquals("no packets in on Child SA 1", s.toBuilder().build().degradation().orElseThrow());
        assertEquals(Duration.ofSeconds(5), s.toBuilder().build().uptime());
        assertEquals("PEER_GONE: DPD timeout", s.lastError().orElseThrow().toString());
    }

    @Test
    void collectionsAreImmutableCopiesAndDropsKeepTheirOrder() {
        Map<EspStatus, Long> drops = new EnumMap<>(EspStatus.class);
        drops.put(EspStatus.ICV_FAIL, 1L);
        drops.put(EspStatus.REPLAY, 2L);
        ChildSaStatus c = child(1, 1).withCounters(1, 1, 1, 1, drops);
        drops.clear();
        assertEquals(List.of(EspStatus.REPLAY, EspStatus.ICV_FAIL), List.copyOf(c.drops().keySet()));
        assertEquals(2, c.dropped(EspStatus.REPLAY));
        assertEquals(0, c.dropped(EspStatus.TOO_OLD));
        assertThrows(UnsupportedOperationException.class, () -> c.drops().put(EspStatus.CLOSED, 1L));
        ConnectionStatus s = ConnectionStatus.builder("x").childSas(List.of(c)).build();
        assertThrows(UnsupportedOperationException.class, () -> s.childSas().clear());
    }

    @Test
    void algorithmsReadLikeOneWord() {
        assertEquals("AES_CBC-256/HMAC_SHA2_256_128/ESN", child(0, 0).algorithms());
        ChildSaStatus gcm = new ChildSaStatus(1, 1, 2, EncryptionAlgorithm.AES_GCM_16_128, IntegrityAlgorithm.NONE,
                false, true, List.of(), List.of(), 0, 0, 0, 0, Map.of(), T0, T0);
        assertEquals("AES_GCM_16-128", gcm.algorithms());
        assertTrue(gcm.toString().contains("00000001_i 00000002_o"));
    }

    @Test
    void rejectsMissingNameOrState() {
        assertThrows(NullPointerException.class, () -> ConnectionStatus.builder(null).build());
        assertThrows(NullPointerException.class, () -> ConnectionStatus.builder("x").state(null).build());
    }
}
