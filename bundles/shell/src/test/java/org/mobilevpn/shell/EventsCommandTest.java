package org.mobilevpn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ConnectionEvent;

class EventsCommandTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.250Z");
    final List<ConnectionEvent> recorded = new ArrayList<>();
    final EventsCommand command = new EventsCommand(() -> List.copyOf(recorded));

    static ConnectionEvent event(long offsetMillis, String name, ConnectionState previous, String topicState,
            ConnectionState state, String reason, String message) {
        return new ConnectionEvent(T0.plusMillis(offsetMillis), "org/mobilevpn/connection/" + topicState, name, state,
                previous, reason, message);
    }

    @Test
    void eventsAreAnAlignedTableOldestFirst() {
        recorded.add(event(0, "office", ConnectionState.DISABLED, "CONNECTING", ConnectionState.CONNECTING, "REQUESTED",
                "to 198.51.100.1:500"));
        recorded.add(event(41, "office", ConnectionState.CONNECTING, "CONNECTED", ConnectionState.CONNECTED, "ESTABLISHED",
                "virtual IP [198.18.0.1] on mvpn0 after 41 ms"));
        recorded.add(event(60_000, "lab", null, "REKEYED", ConnectionState.CONNECTED, "CHILD_SA_REKEYED", ""));
        assertEquals(String.join("\n",
                "TIME (UTC)               NAME    FROM        TO          REASON            MESSAGE",
                "2026-11-26 10:00:00.250  office  DISABLED    CONNECTING  REQUESTED         to 198.51.100.1:500",
                "2026-11-26 10:00:00.291  office  CONNECTING  CONNECTED   ESTABLISHED       virtual IP [198.18.0.1] on mvpn0 after 41 ms",
                "2026-11-26 10:01:00.250  lab     -           REKEYED     CHILD_SA_REKEYED  -", ""), command.events());
    }

    @Test
    void oneConnectionsEventsOrAFriendlyLineWhenThereAreNone() {
        assertEquals("no connection events yet", command.events());
        recorded.add(event(0, "office", ConnectionState.DISABLED, "CONNECTING", ConnectionState.CONNECTING, "REQUESTED", ""));
        recorded.add(event(5, "lab", ConnectionState.DISABLED, "CONNECTING", ConnectionState.CONNECTING, "AUTOSTART", ""));
        assertEquals(2, command.events("lab").split("\n").length, "the header and lab's one event");
        assertEquals("no events of a connection named 'home'", command.events("home"));
    }
}
