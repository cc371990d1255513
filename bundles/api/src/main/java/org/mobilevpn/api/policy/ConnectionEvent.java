package org.mobilevpn.api.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.mobilevpn.api.ConnectionState;

/**
 * One connection event as EventAdmin delivered it (topic {@code org/mobilevpn/connection/<STATE>} or
 * {@link VpnManager#TOPIC_REKEYED}), with the properties named in {@link VpnManager}.
 *
 * @param time     when the event was received
 * @param topic    the EventAdmin topic
 * @param name     the connection name
 * @param state    the state after the change (on a rekey the unchanged state: CONNECTED or DEGRADED)
 * @param previous the state before the change; {@code null} on rekey events
 * @param reason   why: a {@link org.mobilevpn.api.FailureReason} name or a {@code VpnManager.REASON_*} value
 * @param message  a human readable explanation, never a secret; empty when the event had none
 */
public record ConnectionEvent(Instant time, String topic, String name, ConnectionState state,
        ConnectionState previous, String reason, String message) {

    /** Rejects nulls except {@code previous}; a missing message becomes empty. */
    public ConnectionEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        message = message == null ? "" : message;
    }

    /** The state before the change; empty on rekey events. */
    public Optional<ConnectionState> previousState() {
        return Optional.ofNullable(previous);
    }

    /** {@code time name previous -> state (reason): message}. */
    @Override
    public String toString() {
        return time + " " + name + " " + (previous == null ? "" : previous + " -> ") + state + " (" + reason + ")"
                + (message.isEmpty() ? "" : ": " + message);
    }
}
