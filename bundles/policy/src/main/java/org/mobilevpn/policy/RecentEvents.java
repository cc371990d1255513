package org.mobilevpn.policy;

import java.util.ArrayDeque;
import java.util.List;
import org.mobilevpn.api.policy.ConnectionEvent;

/** A bounded, thread-safe record of the latest events: adding beyond the capacity forgets the oldest. */
final class RecentEvents {
    private final int capacity;
    private final ArrayDeque<ConnectionEvent> events;

    RecentEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.events = new ArrayDeque<>(capacity);
    }

    synchronized void add(ConnectionEvent e) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(e);
    }

    /** Oldest first. */
    synchronized List<ConnectionEvent> snapshot() {
        return List.copyOf(events);
    }
}
