package org.mobilevpn.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.VpnManager;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts connection changes to EventAdmin (asynchronously, in order) under
 * {@code org/mobilevpn/connection/<STATE>} and {@code .../REKEYED}. Nothing is posted while there is no
 * EventAdmin; the properties never hold a secret.
 */
final class EventAdminEvents implements ConnectionEvents {
    private final Supplier<EventAdmin> eventAdmin;

    EventAdminEvents(Supplier<EventAdmin> eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    @Override
    public void stateChanged(String name, ConnectionState previous, ConnectionState state, String reason, String message) {
        Map<String, Object> p = properties(name, reason, message);
        p.put(VpnManager.EVENT_STATE, state.name());
        p.put(VpnManager.EVENT_PREVIOUS_STATE, previous.name());
        post(VpnManager.TOPIC_PREFIX + state.name(), p);
    }

    @Override
    public void rekeyed(String name, ConnectionState state, String reason, String message) {
        Map<String, Object> p = properties(name, reason, message);
        p.put(VpnManager.EVENT_STATE, state.name());
        post(VpnManager.TOPIC_REKEYED, p);
    }

    private static Map<String, Object> properties(String name, String reason, String message) {
        Map<String, Object> p = new HashMap<>();
        p.put(VpnManager.EVENT_NAME, name);
        p.put(VpnManager.EVENT_REASON, reason);
        if (message != null) {
            p.put(VpnManager.EVENT_MESSAGE, message);
        }
        return p;
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin.get();
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }
}
