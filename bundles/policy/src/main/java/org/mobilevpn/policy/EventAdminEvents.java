package org.mobilevpn.policy;

import java.net.InetSocketAddress;
import java.time.Duration;
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

    @Override
    public void moved(String name, InetSocketAddress oldLocal, InetSocketAddress newLocal, InetSocketAddress oldGateway,
            InetSocketAddress newGateway, Duration outage) {
        Map<String, Object> p = properties(name, VpnManager.REASON_MOVED, null);
        p.put(VpnManager.EVENT_OLD_LOCAL, endpoint(oldLocal));
        p.put(VpnManager.EVENT_NEW_LOCAL, endpoint(newLocal));
        p.put(VpnManager.EVENT_OLD_GATEWAY, endpoint(oldGateway));
        p.put(VpnManager.EVENT_NEW_GATEWAY, endpoint(newGateway));
        p.put(VpnManager.EVENT_OUTAGE_MILLIS, outage.toMillis());
        post(VpnManager.TOPIC_MOVED, p);
    }

    private static String endpoint(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
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
