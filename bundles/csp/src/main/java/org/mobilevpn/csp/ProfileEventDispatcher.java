package org.mobilevpn.csp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.mobilevpn.api.profile.ProfileEvent;
import org.mobilevpn.api.profile.ProfileListener;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.VpnProfile;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Delivers registry changes, in order, outside the registry's lock: to {@link ProfileListener}
 * services and as EventAdmin events {@code org/mobilevpn/profile/<KIND>} with the properties
 * {@code name}, {@code kind} and, for INVALID, {@code message} and {@code keys}. Events carry problem
 * messages and names, never a profile's values, so no secret can reach EventAdmin's subscribers.
 */
final class ProfileEventDispatcher {
    private final Executor executor;
    private final Supplier<EventAdmin> eventAdmin;
    private final BiConsumer<String, RuntimeException> failure;
    private final List<ProfileListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<ProfileListener> wanted = ConcurrentHashMap.newKeySet();

    /**
     * @param executor   runs deliveries one at a time, in submission order
     * @param eventAdmin the current EventAdmin, or null
     * @param failure    told when a listener or EventAdmin throws
     */
    ProfileEventDispatcher(Executor executor, Supplier<EventAdmin> eventAdmin, BiConsumer<String, RuntimeException> failure) {
        this.executor = executor;
        this.eventAdmin = eventAdmin;
        this.failure = failure;
    }

    /** Queues the events; call in the order the changes happened. */
    void publish(List<ProfileEvent> events) {
        if (!events.isEmpty()) {
            submit(() -> events.forEach(this::deliver));
        }
    }

    /** Queues a delivery; once the registry is shutting down there is nobody left to tell. */
    private void submit(Runnable delivery) {
        try {
            executor.execute(delivery);
        } catch (RejectedExecutionException e) {
            // deactivated: listeners and EventAdmin subscribers are going away with the framework or bundle
        }
    }

    /** Adds a listener that first hears ADDED for each of {@code current} (taken at the same moment). */
    void addListener(ProfileListener listener, List<VpnProfile> current) {
        wanted.add(listener);
        submit(() -> {
            if (!wanted.contains(listener)) {
                return;
            }
            for (VpnProfile p : current) {
                call(listener, new ProfileEvent(ProfileEvent.Kind.ADDED, p.name(), p, List.of()));
            }
            listeners.add(listener);
        });
    }

    void removeListener(ProfileListener listener) {
        wanted.remove(listener);
        listeners.remove(listener);
    }

    private void deliver(ProfileEvent event) {
        for (ProfileListener l : listeners) {
            call(l, event);
        }
        EventAdmin admin = eventAdmin.get();
        if (admin != null) {
            try {
                admin.postEvent(toEvent(event));
            } catch (RuntimeException e) {
                failure.accept("EventAdmin refused " + event.topic(), e);
            }
        }
    }

    private void call(ProfileListener l, ProfileEvent event) {
        try {
            l.profileChanged(event);
        } catch (RuntimeException e) {
            failure.accept("profile listener " + l.getClass().getName() + " failed on " + event.kind() + " " + event.name(), e);
        }
    }

    /** The EventAdmin form of a change. */
    static Event toEvent(ProfileEvent event) {
        Map<String, Object> props = new HashMap<>();
        props.put("name", event.name());
        props.put("kind", event.kind().name());
        if (event.kind() == ProfileEvent.Kind.INVALID) {
            props.put("message", event.problems().stream().map(ProfileProblem::toString).collect(Collectors.joining("; ")));
            props.put("keys", event.problems().stream().map(ProfileProblem::key).distinct().toArray(String[]::new));
        }
        return new Event(event.topic(), props);
    }
}
