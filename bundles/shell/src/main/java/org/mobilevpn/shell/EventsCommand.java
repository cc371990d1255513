package org.mobilevpn.shell;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.mobilevpn.api.policy.ConnectionEvent;
import org.mobilevpn.api.policy.ConnectionEventLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code vpn:events [NAME]}: the recent connection events as EventAdmin delivered them, oldest first, one
 * aligned row each (time in UTC, connection, previous and new state, reason, message). A rekey shows as
 * {@code REKEYED} with no previous state.
 */
@Component(service = Object.class, property = {
    "osgi.command.scope=vpn",
    "osgi.command.function=events"
})
public class EventsCommand {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final ConnectionEventLog log;

    @Activate
    public EventsCommand(@Reference ConnectionEventLog log) {
        this.log = log;
    }

    /** {@code vpn:events}: every connection's recent events. */
    public String events() {
        return table(log.recent(), null);
    }

    /** {@code vpn:events NAME}: one connection's recent events. */
    public String events(String name) {
        return table(log.recent(), name);
    }

    private static String table(List<ConnectionEvent> events, String name) {
        Table t = new Table("TIME (UTC)", "NAME", "FROM", "TO", "REASON", "MESSAGE");
        for (ConnectionEvent e : events) {
            if (name == null || name.equals(e.name())) {
                t.row(TIME.format(e.time()), e.name(), e.previous(), lastSegment(e.topic()), e.reason(),
                        e.message().isEmpty() ? null : e.message());
            }
        }
        if (t.size() == 0) {
            return name == null ? "no connection events yet" : "no events of a connection named '" + name + "'";
        }
        return t.toString();
    }

    /** The state name of {@code org/mobilevpn/connection/CONNECTED}, or {@code REKEYED}. */
    private static String lastSegment(String topic) {
        return topic.substring(topic.lastIndexOf('/') + 1);
    }
}
