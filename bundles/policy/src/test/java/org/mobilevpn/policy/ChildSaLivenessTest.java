package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.api.esp.SaDirection;

class ChildSaLivenessTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final Duration WINDOW = Duration.ofSeconds(4);

    final ChildSaLiveness liveness = new ChildSaLiveness(WINDOW);
    /** Current counts: {childSaId, spi, direction (0 in, 1 out), packets}. */
    final List<long[]> sas = new ArrayList<>(List.of(new long[] {1, 0xc1, 0, 0}, new long[] {1, 0xd1, 1, 0}));
    Instant now = T0;

    DataPathCounters counters() {
        List<SaCounters> list = new ArrayList<>();
        for (long[] sa : sas) {
            list.add(new SaCounters((int) sa[0], (int) sa[1], sa[2] == 0 ? SaDirection.INBOUND : SaDirection.OUTBOUND,
                    sa[3], sa[3] * 100, Map.of(), sa[3], LifetimeState.ACTIVE));
        }
        return new DataPathCounters(list, Map.of(), 0, 0, 0, 0, 0, 0);
    }

    void add(int spi, long packets) {
        sas.stream().filter(sa -> sa[1] == spi).findFirst().orElseThrow()[3] += packets;
    }

    /** One sample a second later. */
    ChildSaLiveness.Observation tick() {
        now = now.plusSeconds(1);
        return liveness.observe(now, counters());
    }

    @Test
    void aQuietTunnelIsNeverStalled() {
        for (int i = 0; i < 100; i++) {
            ChildSaLiveness.Observation o = tick();
            assertNull(o.stall());
            assertFalse(o.inboundRose());
        }
    }

    @Test
    void answeredTrafficIsNotStalled() {
        tick();
        for (int i = 0; i < 30; i++) {
            add(0xd1, 10);
            if (i % 3 == 0) {
                add(0xc1, 1); // answers may come less often than requests go, within the window
            }
            assertNull(tick().stall(), "sample " + i);
        }
    }

    @Test
    void packetsThatKeepGoingUnansweredStallOneWindowAfterTheFirst() {
        tick();
        add(0xd1, 1);
        tick(); // T0+2 s: the first unanswered packet is seen
        for (int i = 0; i < 3; i++) {
            add(0xd1, 1);
            assertNull(tick().stall(), "only " + (i + 1) + " s since the first unanswered packet");
        }
        add(0xd1, 1);
        ChildSaLiveness.Observation o = tick(); // T0+6 s: four seconds since the first
        assertNotNull(o.stall());
        assertEquals(1, o.stall().childSaId());
        assertEquals(5, o.stall().packetsOut());
        assertEquals(WINDOW, o.stall().silentFor());
    }

    @Test
    void oneUnansweredBurstIsNotAStall() {
        tick();
        add(0xd1, 3); // e.g. a DNS query to a server that is down
        for (int i = 0; i < 20; i++) {
            assertNull(tick().stall());
        }
    }

    @Test
    void twoUnansweredPacketsAWindowApartAreAStallOnceTheWindowPassed() {
        tick();
        add(0xd1, 1);
        tick();
        tick();
        add(0xd1, 1); // a retry
        tick();
        assertNull(tick().stall());
        assertNotNull(tick().stall(), "4 s after the first of two unanswered packets");
    }

    @Test
    void anAnswerEndsTheStall() {
        tick();
        for (int i = 0; i < 6; i++) {
            add(0xd1, 1);
            tick();
        }
        add(0xd1, 1);
        assertNotNull(tick().stall());
        add(0xc1, 1);
        ChildSaLiveness.Observation o = tick();
        assertNull(o.stall());
        assertTrue(o.inboundRose());
    }

    @Test
    void theFirstSampleIsTheBaselineNotTraffic() {
        add(0xd1, 5000);
        add(0xc1, 4000);
        ChildSaLiveness.Observation first = tick();
        assertFalse(first.inboundRose());
        for (int i = 0; i < 10; i++) {
            assertNull(tick().stall(), "old counts are not unanswered packets");
        }
    }

    @Test
    void packetsOnTheNewSaOfARekeyCountFromZeroAndTheRetiredInboundSaStillCounts() {
        tick();
        add(0xd1, 1);
        tick();
        // rekey: new inbound c2 and outbound d2 of the same Child SA; the old outbound is gone, the old inbound stays
        sas.removeIf(sa -> sa[1] == 0xd1);
        sas.add(new long[] {1, 0xc2, 0, 0});
        sas.add(new long[] {1, 0xd2, 1, 3});
        for (int i = 0; i < 10; i++) {
            add(0xd2, 1);
            if (i % 2 == 0) {
                add(0xc1, 1); // the gateway still answers on the old SA for a moment
            }
            assertNull(tick().stall());
        }
        sas.removeIf(sa -> sa[1] == 0xc1);
        for (int i = 0; i < 10; i++) {
            add(0xd2, 1);
            add(0xc2, 1);
            assertNull(tick().stall());
        }
    }

    @Test
    void aCounterThatStartsAgainBelowItsLastValueCountsAsNewPackets() {
        add(0xc1, 100);
        add(0xd1, 100);
        tick();
        sas.forEach(sa -> sa[3] = 0); // a rebuilt data path counts the same SAs from zero
        add(0xd1, 2);
        add(0xc1, 2);
        assertTrue(tick().inboundRose());
    }

    @Test
    void oneStalledChildSaAmongAnsweredOnesIsReported() {
        sas.add(new long[] {2, 0xc7, 0, 0});
        sas.add(new long[] {2, 0xd7, 1, 0});
        tick();
        ChildSaLiveness.Observation o = null;
        for (int i = 0; i < 6; i++) {
            add(0xd1, 1);
            add(0xc1, 1);
            add(0xd7, 1);
            o = tick();
        }
        assertNotNull(o.stall());
        assertEquals(2, o.stall().childSaId());
        assertTrue(o.inboundRose(), "the other Child SA is answered");
    }

    @Test
    void restartForgetsTheUnansweredPacketsSoFar() {
        tick();
        for (int i = 0; i < 3; i++) {
            add(0xd1, 1);
            tick();
        }
        liveness.restart();
        for (int i = 0; i < 4; i++) {
            add(0xd1, 1);
            assertNull(tick().stall(), "a new window since the restart");
        }
        add(0xd1, 1);
        assertNotNull(tick().stall());
    }

    @Test
    void samplesAQuarterWindowWithinBounds() {
        assertEquals(Duration.ofSeconds(1), liveness.sampleInterval());
        assertEquals(Duration.ofMillis(250), new ChildSaLiveness(Duration.ofMillis(300)).sampleInterval());
        assertEquals(Duration.ofSeconds(1), new ChildSaLiveness(Duration.ofMinutes(5)).sampleInterval());
        assertThrows(IllegalArgumentException.class, () -> new ChildSaLiveness(Duration.ZERO));
    }
}
