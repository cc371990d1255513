package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The round-trip time of an answered liveness check (RFC 7296 §2.4) reaches the listener, measured on the session clock. */
class LivenessRoundTripTest {

    /** A scripted session that also records liveness round trips. */
    static final class Recording extends ScriptedSession {
        final List<Duration> roundTrips = new ArrayList<>();

        @Override
        public void livenessChecked(Duration roundTrip) {
            roundTrips.add(roundTrip);
        }
    }

    @Test
    void anAnsweredCheckReportsTheTimeUntilItsAnswer() {
        Recording s = new Recording();
        s.start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(30)).build());
        assertTrue(s.roundTrips.isEmpty(), "no check yet, no round trip");
        s.hold = true;
        s.clock.advance(Duration.ofSeconds(30)); // the check goes out and is held on the way
        s.pump();
        assertEquals(1, s.held.size());
        s.clock.advance(Duration.ofMillis(137));
        s.release();
        assertEquals(List.of(Duration.ofMillis(137)), s.roundTrips);
    }

    @Test
    void aRetransmittedCheckCountsFromItsFirstTransmission() {
        Recording s = new Recording();
        s.settings(EngineSettings.DEFAULTS.withRetransmission(Duration.ofSeconds(2), 1.5, 3))
                .start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(30)).build());
        s.dropFromClient = 1; // the first transmission is lost
        s.clock.advance(Duration.ofSeconds(30));
        s.pump();
        assertTrue(s.roundTrips.isEmpty());
        s.clock.advance(Duration.ofSeconds(2)); // the retransmission is answered at once
        s.pump();
        assertEquals(List.of(Duration.ofSeconds(2)), s.roundTrips);
    }

    @Test
    void anUnansweredCheckReportsNoRoundTrip() {
        Recording s = new Recording();
        s.start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(10)).build());
        s.dropFromClient = Integer.MAX_VALUE;
        s.clock.advance(Duration.ofSeconds(10));
        s.clock.advance(Duration.ofSeconds(11));
        assertTrue(s.roundTrips.isEmpty());
    }
}
