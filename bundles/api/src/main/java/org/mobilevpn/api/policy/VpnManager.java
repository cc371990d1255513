package org.mobilevpn.api.policy;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The Policy Manager: one connection per valid profile (and per connection still wanted whose
 * profile went away). Requests return at once with the state they caused; progress is reported by
 * later snapshots and by EventAdmin events.
 *
 * <p>A connection the operator brings up is <em>wanted</em>: the wish is persisted, so a restart
 * brings it back, and every failure is followed by another attempt after a growing, jittered delay
 * until the operator takes it down. Profiles with {@code autostart = true} are wanted from the start.
 */
@ProviderType
public interface VpnManager {

    /** EventAdmin topic prefix: the topic of a state change is this plus the new state's name. */
    String TOPIC_PREFIX = "org/mobilevpn/connection/";
    /** EventAdmin topic of a rekey (IKE SA or Child SA); the state (CONNECTED or DEGRADED) stays as it was. */
    String TOPIC_REKEYED = TOPIC_PREFIX + "REKEYED";
    /**
     * EventAdmin topic of a move: the IKE SA and its Child SAs now travel another path (MOBIKE, RFC 4555), with
     * {@link #EVENT_OLD_LOCAL}, {@link #EVENT_NEW_LOCAL}, {@link #EVENT_OLD_GATEWAY}, {@link #EVENT_NEW_GATEWAY} and
     * {@link #EVENT_OUTAGE_MILLIS}.
     *
     * @since 2.1
     */
    String TOPIC_MOVED = TOPIC_PREFIX + "MOVED";
    /** Event property of a move: our address and port before it (String, {@code 198.51.100.2:4500}). @since 2.1 */
    String EVENT_OLD_LOCAL = "oldLocal";
    /** Event property of a move: our address and port after it (String). @since 2.1 */
    String EVENT_NEW_LOCAL = "newLocal";
    /** Event property of a move: the gateway's address and port before it (String). @since 2.1 */
    String EVENT_OLD_GATEWAY = "oldGateway";
    /** Event property of a move: the gateway's address and port after it (String). @since 2.1 */
    String EVENT_NEW_GATEWAY = "newGateway";
    /**
     * Event property of a move: milliseconds from the loss of the old path (the network change that started the move)
     * to the gateway's confirmation (Long); 0 when the gateway moved on its own. @since 2.1
     */
    String EVENT_OUTAGE_MILLIS = "outageMillis";
    /** Event property: the connection name (String). */
    String EVENT_NAME = "name";
    /** Event property: the state after the change (String, a {@link org.mobilevpn.api.ConnectionState} name). */
    String EVENT_STATE = "state";
    /** Event property: the state before the change (String); absent on rekey events. */
    String EVENT_PREVIOUS_STATE = "previous";
    /**
     * Event property: why (String) — a {@link org.mobilevpn.api.FailureReason} name after a failure,
     * otherwise one of the {@code REASON_*} values.
     */
    String EVENT_REASON = "reason";
    /** Event property: a human readable explanation (String); never a secret. */
    String EVENT_MESSAGE = "message";

    /** The operator asked (connect / disconnect). */
    String REASON_REQUESTED = "REQUESTED";
    /** A profile with {@code autostart = true} came up at start. */
    String REASON_AUTOSTART = "AUTOSTART";
    /** A connection wanted before the last shutdown came back. */
    String REASON_PERSISTED = "PERSISTED";
    /** The first Child SA is installed (or, after DEGRADED for want of one, a Child SA is back). */
    String REASON_ESTABLISHED = "ESTABLISHED";
    /** The next attempt after a failure started. */
    String REASON_RETRY = "RETRY";
    /** The profile changed; the connection is rebuilt with the new version. */
    String REASON_PROFILE_UPDATED = "PROFILE_UPDATED";
    /** The runtime (or the Policy Manager) is stopping. */
    String REASON_SHUTDOWN = "SHUTDOWN";
    /** A Child SA was rekeyed (on {@link #TOPIC_REKEYED}). */
    String REASON_CHILD_SA_REKEYED = "CHILD_SA_REKEYED";
    /** The IKE SA was rekeyed (on {@link #TOPIC_REKEYED}). */
    String REASON_IKE_SA_REKEYED = "IKE_SA_REKEYED";
    /**
     * DEGRADED: packets left on a Child SA and none came back on it for {@code dpd_delay} while the IKE SA
     * answered; the message names the Child SA and the repair under way.
     */
    String REASON_TRAFFIC_STALLED = "TRAFFIC_STALLED";
    /** DEGRADED: the connection has no Child SA installed (the gateway deleted the last one). */
    String REASON_NO_CHILD_SA = "NO_CHILD_SA";
    /** CONNECTED again after DEGRADED: packets arrive on the Child SAs again. */
    String REASON_TRAFFIC_FLOWS = "TRAFFIC_FLOWS";
    /**
     * DEGRADED: the path to the gateway changed (the uplink in use went away, or another is now the kernel's
     * route); the IKE SA is moving to it (MOBIKE) or, without MOBIKE, a new IKE SA is made over it.
     *
     * @since 2.1
     */
    String REASON_UPLINK_CHANGED = "UPLINK_CHANGED";
    /** DEGRADED: no uplink reaches the gateway; the connection moves the moment one does. @since 2.1 */
    String REASON_NO_UPLINK = "NO_UPLINK";
    /** CONNECTED again: the gateway confirmed our new addresses (MOBIKE); the same IKE and Child SAs. @since 2.1 */
    String REASON_MOVED = "MOVED";
    /**
     * CONNECTED: the connection was taken over from the policy manager before this one (its bundle was updated),
     * with the same IKE SA, Child SAs and virtual NIC. @since 2.2
     */
    String REASON_HANDED_OVER = "HANDED_OVER";

    /** Names of every known connection (valid profiles and wanted connections), sorted. */
    List<String> list();

    /**
     * Brings a connection up and keeps it up: marks it wanted (persisted) and starts an attempt
     * unless one runs or the connection is up.
     *
     * @return the connection's state after the request was taken
     * @throws IllegalArgumentException when no valid profile has this name; the message says so
     */
    ConnectionStatus connect(String name);

    /**
     * Takes a connection down: no longer wanted (persisted), the IKE SA is deleted at the gateway and
     * the virtual NIC, routes, DNS and installed SAs are removed.
     *
     * @return the connection's state after the request was taken (DISCONNECTING or DISABLED)
     * @throws IllegalArgumentException when no connection has this name
     */
    ConnectionStatus disconnect(String name);

    /**
     * Rekeys the connection's IKE SA now, as {@code swanctl --rekey --ike} does (CREATE_CHILD_SA, RFC 7296
     * §2.18): the connection stays CONNECTED on the same tunnel, and once the new IKE SA has taken over, a
     * {@link #TOPIC_REKEYED} event with {@link #REASON_IKE_SA_REKEYED} follows. A rekey already under way is
     * not started twice.
     *
     * @return the connection's state when the request was taken (still with the old IKE SA)
     * @throws IllegalArgumentException when no connection has this name
     * @throws IllegalStateException when the connection is not CONNECTED; the message names its state
     * @since 1.2
     */
    default ConnectionStatus rekeyIkeSa(String name) {
        throw new UnsupportedOperationException("this VpnManager cannot rekey");
    }

    /**
     * Rekeys every Child SA of the connection now, as {@code swanctl --rekey --child} does (CREATE_CHILD_SA,
     * RFC 7296 §2.8): each new Child SA is installed before the old one goes, so traffic flows on, and a
     * {@link #TOPIC_REKEYED} event with {@link #REASON_CHILD_SA_REKEYED} follows for each.
     *
     * @return the connection's state when the request was taken (still with the old Child SAs)
     * @throws IllegalArgumentException when no connection has this name
     * @throws IllegalStateException when the connection is not CONNECTED; the message names its state
     * @since 1.2
     */
    default ConnectionStatus rekeyChildSas(String name) {
        throw new UnsupportedOperationException("this VpnManager cannot rekey");
    }

    /** A snapshot of one connection, with counters taken now; empty if no connection has this name. */
    Optional<ConnectionStatus> status(String name);

    /** Snapshots of every connection, sorted by name. */
    List<ConnectionStatus> statusAll();
}
