package org.mobilevpn.policy;

import java.time.Clock;
import java.util.List;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ConnectionEvent;
import org.mobilevpn.api.policy.ConnectionEventLog;
import org.mobilevpn.api.policy.VpnManager;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Keeps the latest {@link ConnectionEventLog#CAPACITY} connection events as EventAdmin delivered them: an
 * {@link EventHandler} on {@code org/mobilevpn/connection/*}, so the log shows what subscribers really
 * received, in delivery order (EventAdmin delivers posted events of one sender in order). An event without a
 * connection name or a known state is not one of ours and is left out.
 */
@Component(service = {ConnectionEventLog.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + VpnManager.TOPIC_PREFIX + "*")
public final class ConnectionEventLogComponent implements ConnectionEventLog, EventHandler {
    private final Clock clock;
    private final RecentEvents events = new RecentEvents(CAPACITY);

    public ConnectionEventLogComponent() {
        this(Clock.systemUTC());
    }

    ConnectionEventLogComponent(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void handleEvent(Event event) {
        String name = string(event, VpnManager.EVENT_NAME);
        ConnectionState state = state(string(event, VpnManager.EVENT_STATE));
        if (name == null || state == null) {
            return;
        }
        String reason = string(event, VpnManager.EVENT_REASON);
        events.add(new ConnectionEvent(clock.instant(), event.getTopic(), name, state,
                state(string(event, VpnManager.EVENT_PREVIOUS_STATE)), reason == null ? "" : reason,
                string(event, VpnManager.EVENT_MESSAGE)));
    }

    @Override
    public List<ConnectionEvent> recent() {
        return events.snapshot();
    }

    private static String string(Event event, String key) {
        Object v = event.getProperty(key);
        return v instanceof String ? (String) v : null;
    }

    private static ConnectionState state(String s) {
        if (s == null) {
            return null;
        }
        try {
            return ConnectionState.valueOf(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
