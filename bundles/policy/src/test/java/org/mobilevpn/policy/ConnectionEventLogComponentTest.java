package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ConnectionEvent;
import org.mobilevpn.api.policy.ConnectionEventLog;
import org.mobilevpn.api.policy.VpnManager;
import org.osgi.service.event.Event;

/** The event log turns delivered EventAdmin events into {@link ConnectionEvent}s, oldest first, bounded. */
class ConnectionEventLogComponentTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    /** What {@link EventAdminEvents} posts, built the same way so the two stay in step. */
    static Event posted(ConnectionState previous, ConnectionState state, String reason, String message) {
        List<Event> out = new java.util.ArrayList<>();
        EventAdminEvents events = new EventAdminEvents(() -> new RecordingEventAdmin(out));
        events.stateChanged("office", previous, state, reason, message);
        return out.get(0);
    }

    @Test
    void stateChangesAndRekeysAreRecordedAsDelivered() {
        ConnectionEventLogComponent log = new ConnectionEventLogComponent(Clock.fixed(T0, ZoneOffset.UTC));
        log.handleEvent(posted(ConnectionState.DISABLED, ConnectionState.CONNECTING, VpnManager.REASON_REQUESTED,
                "to 198.51.100.1"));
        List<Event> out = new java.util.ArrayList<>();
        new EventAdminEvents(() -> new RecordingEventAdmin(out)).rekeyed("office", ConnectionState.CONNECTED, VpnManager.REASON_CHILD_SA_REKEYED,
                "Child SA c0000001 replaced by c0000002");
        log.handleEvent(out.get(0));

        List<ConnectionEvent> recent = log.recent();
        assertEquals(2, recent.size());
        ConnectionEvent first = recent.get(0);
        assertEquals(new ConnectionEvent(T0, "org/mobilevpn/connection/CONNECTING", "office",
                ConnectionState.CONNECTING, ConnectionState.DISABLED, "REQUESTED", "to 198.51.100.1"), first);
        ConnectionEvent rekey = recent.get(1);
        assertEquals(VpnManager.TOPIC_REKEYED, rekey.topic());
        assertEquals(ConnectionState.CONNECTED, rekey.state());
        assertEquals(Optional.empty(), rekey.previousState());
        assertEquals("CHILD_SA_REKEYED", rekey.reason());
    }

    @Test
    void onlyTheLatestHundredAreKeptOldestFirst() {
        ConnectionEventLogComponent log = new ConnectionEventLogComponent();
        for (int i = 0; i < ConnectionEventLog.CAPACITY + 5; i++) {
            log.handleEvent(posted(ConnectionState.CONNECTED, ConnectionState.RECONNECTING, "PEER_GONE", "n" + i));
        }
        List<ConnectionEvent> recent = log.recent();
        assertEquals(ConnectionEventLog.CAPACITY, recent.size());
        assertEquals("n5", recent.get(0).message());
        assertEquals("n104", recent.get(recent.size() - 1).message());
    }

    @Test
    void eventsWithoutANameOrWithAnUnknownStateAreNotOurs() {
        ConnectionEventLogComponent log = new ConnectionEventLogComponent();
        Map<String, Object> p = new HashMap<>();
        p.put(VpnManager.EVENT_STATE, "CONNECTED");
        log.handleEvent(new Event(VpnManager.TOPIC_PREFIX + "CONNECTED", p));
        p.put(VpnManager.EVENT_NAME, "office");
        p.put(VpnManager.EVENT_STATE, "SLEEPING");
        log.handleEvent(new Event(VpnManager.TOPIC_PREFIX + "SLEEPING", p));
        assertTrue(log.recent().isEmpty());
        p.put(VpnManager.EVENT_STATE, "CONNECTED"); // no reason, no message, no previous state: still recorded
        log.handleEvent(new Event(VpnManager.TOPIC_PREFIX + "CONNECTED", p));
        assertEquals("", log.recent().get(0).message());
    }

    /** Records what is posted. */
    record RecordingEventAdmin(List<Event> out) implements org.osgi.service.event.EventAdmin {
        @Override
        public void postEvent(Event event) {
            out.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            out.add(event);
        }
    }
}
