package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    private static final Duration S1 = Duration.ofSeconds(1);
    private static final Duration MIN2 = Duration.ofMinutes(2);

    private static List<Long> millis(ReconnectBackoff b, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b.next().toMillis());
        }
        return out;
    }

    @Test
    void doublesFromOneSecondAndStopsAtTwoMinutes() {
        ReconnectBackoff b = new ReconnectBackoff(S1, MIN2, 0.2, () -> 0.5);
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 64000L, 120000L, 120000L), millis(b, 9));
        assertEquals(9, b.failures());
    }

    @Test
    void jitterSpreadsEachDelayButStaysWithinTheBounds() {
        ReconnectBackoff low = new ReconnectBackoff(S1, MIN2, 0.2, () -> 0.0);
        ReconnectBackoff high = new ReconnectBackoff(S1, MIN2, 0.2, () -> 0.999999);
        // lowest: 0.8x, but never below the first delay; highest: 1.2x, but never above the cap
        assertEquals(List.of(1000L, 1600L, 3200L, 6400L, 12800L, 25600L, 51200L, 96000L, 96000L), millis(low, 9));
        assertEquals(List.of(1199L, 2399L, 4799L, 9599L, 19199L, 38399L, 76799L, 120000L), millis(high, 8));
    }

    @Test
    void randomJitterDiffersBetweenClientsSoTheyDoNotReturnTogether() {
        Random random = new Random(7);
        ReconnectBackoff a = new ReconnectBackoff(S1, MIN2, 0.2, random::nextDouble);
        ReconnectBackoff b = new ReconnectBackoff(S1, MIN2, 0.2, random::nextDouble);
        a.next();
        b.next();
        Duration da = a.next();
        Duration db = b.next();
        assertTrue(!da.equals(db), da + " vs " + db);
        for (Duration d : List.of(da, db)) {
            assertTrue(d.toMillis() >= 1600 && d.toMillis() <= 2400, d.toString());
        }
    }

    @Test
    void resetStartsOverAfterTheConnectionWasUp() {
        ReconnectBackoff b = new ReconnectBackoff(S1, MIN2, 0, () -> 0.5);
        millis(b, 5);
        b.reset();
        assertEquals(0, b.failures());
        assertEquals(1000L, b.next().toMillis());
    }

    @Test
    void manyFailuresDoNotOverflow() {
        ReconnectBackoff b = new ReconnectBackoff(S1, MIN2, 0.2, () -> 0.5);
        for (int i = 0; i < 10_000; i++) {
            b.next();
        }
        assertEquals(MIN2, b.next());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(Duration.ZERO, MIN2, 0.2, () -> 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(MIN2, S1, 0.2, () -> 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(S1, MIN2, 1.0, () -> 0.5));
    }
}
