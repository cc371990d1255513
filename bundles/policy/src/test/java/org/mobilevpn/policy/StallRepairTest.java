package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StallRepairTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    final StallRepair repair = new StallRepair(Duration.ofSeconds(10), Duration.ofSeconds(60));

    @Test
    void firstANewChildSaThenANewIkeSa() {
        assertFalse(repair.isOpen());
        assertEquals(StallRepair.Step.NEW_CHILD_SA, repair.stalled(T0));
        assertTrue(repair.isOpen());
        assertEquals(StallRepair.Step.RECONNECT, repair.stalled(T0.plusSeconds(10)));
        assertTrue(repair.isOpen(), "open until packets arrive again");
    }

    @Test
    void roundsAfterAReconnectThatDidNotHelpWaitLongerEachTimeUpToTheCap() {
        Instant t = T0;
        assertEquals(StallRepair.Step.NEW_CHILD_SA, repair.stalled(t));
        assertEquals(StallRepair.Step.RECONNECT, repair.stalled(t));
        long[] expectedHoldOffs = {10, 20, 40, 60, 60};
        for (long holdOff : expectedHoldOffs) {
            Instant reconnected = t;
            assertEquals(reconnected.plusSeconds(holdOff), repair.notBefore());
            assertNull(repair.stalled(reconnected.plusSeconds(holdOff - 1)), "held off " + holdOff + " s");
            t = reconnected.plusSeconds(holdOff);
            assertEquals(StallRepair.Step.NEW_CHILD_SA, repair.stalled(t));
            assertNull(repair.notBefore());
            assertEquals(StallRepair.Step.RECONNECT, repair.stalled(t));
        }
    }

    @Test
    void trafficThatFlowsAgainStartsTheNextStallAfresh() {
        repair.stalled(T0);
        repair.stalled(T0);
        repair.recovered();
        assertFalse(repair.isOpen());
        assertNull(repair.notBefore());
        assertEquals(StallRepair.Step.NEW_CHILD_SA, repair.stalled(T0.plusSeconds(1)));
        assertEquals(StallRepair.Step.RECONNECT, repair.stalled(T0.plusSeconds(2)));
        assertEquals(T0.plusSeconds(12), repair.notBefore(), "the first hold-off again");
    }

    @Test
    void rejectsNonsenseHoldOffs() {
        assertThrows(IllegalArgumentException.class, () -> new StallRepair(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new StallRepair(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
