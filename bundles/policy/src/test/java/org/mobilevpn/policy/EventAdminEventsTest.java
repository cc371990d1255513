package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.VpnManager;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class EventAdminEventsTest {

    private final List<Event> posted = new ArrayList<>();
    private final EventAdmin admin = (EventAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {EventAdmin.class}, (proxy, method, args) -> {
                if (method.getName().equals("postEvent")) {
                    posted.add((Event) args[0]);
                }
                return null;
            });

    @Test
    void stateChangesGoToTheStatesTopicWithNameReasonAndMessage() {
        new EventAdminEvents(() -> admin).stateChanged("office", ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                "PEER_GONE", "no answer to DPD");
        Event e = posted.get(0);
        assertEquals("org/mobilevpn/connection/RECONNECTING", e.getTopic());
        assertEquals("office", e.getProperty(VpnManager.EVENT_NAME));
        assertEquals("RECONNECTING", e.getProperty(VpnManager.EVENT_STATE));
        assertEquals("CONNECTED", e.getProperty(VpnManager.EVENT_PREVIOUS_STATE));
        assertEquals("PEER_GONE", e.getProperty(VpnManager.EVENT_REASON));
        assertEquals("no answer to DPD", e.getProperty(VpnManager.EVENT_MESSAGE));
    }

    @Test
    void rekeysHaveTheirOwnTopicAndNoMessageMeansNoProperty() {
        new EventAdminEvents(() -> admin).rekeyed("office", ConnectionState.CONNECTED, VpnManager.REASON_CHILD_SA_REKEYED, null);
        Event e = posted.get(0);
        assertEquals(VpnManager.TOPIC_REKEYED, e.getTopic());
        assertEquals("CHILD_SA_REKEYED", e.getProperty(VpnManager.EVENT_REASON));
        assertFalse(e.containsProperty(VpnManager.EVENT_MESSAGE));
    }

    @Test
    void withoutEventAdminNothingHappens() {
        new EventAdminEvents(() -> null).rekeyed("office", ConnectionState.CONNECTED, VpnManager.REASON_IKE_SA_REKEYED, "x");
        assertEquals(List.of(), posted);
    }
}
