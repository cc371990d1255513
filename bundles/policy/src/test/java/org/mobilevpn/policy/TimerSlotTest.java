package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection's one-slot timer: at most one pending task, replaced by the next, empty while it runs. */
class TimerSlotTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final TimerSlot slot = new TimerSlot(scheduler);
    private final List<String> ran = new ArrayList<>();

    @Test
    void schedulingAgainReplacesThePendingTask() {
        slot.schedule(Duration.ofSeconds(1), () -> ran.add("first"));
        slot.schedule(Duration.ofSeconds(2), () -> ran.add("second"));
        scheduler.advance(Duration.ofSeconds(5));
        assertEquals(List.of("second"), ran);
        assertFalse(slot.isPending());
    }

    @Test
    void aCancelledTaskNeverRunsAndCancellingTwiceIsHarmless() {
        slot.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
        assertTrue(slot.isPending());
        slot.cancel();
        slot.cancel();
        scheduler.advance(Duration.ofSeconds(5));
        assertEquals(List.of(), ran);
    }

    @Test
    void aRunningTaskFindsItsSlotEmptyAndMayScheduleTheNext() {
        slot.schedule(Duration.ofSeconds(1), () -> {
            ran.add("pending while running: " + slot.isPending());
            if (ran.size() < 3) {
                slot.schedule(Duration.ofSeconds(1), () -> ran.add("next"));
            }
        });
        scheduler.advance(Duration.ofSeconds(5));
        assertEquals(List.of("pending while running: false", "next"), ran);
    }
}
