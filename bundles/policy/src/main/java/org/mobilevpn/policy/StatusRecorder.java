package org.mobilevpn.policy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ConnectionError;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.vnic.KillSwitch;

/**
 * What a connection records for its status besides its state: the last error, attempt and reconnect
 * counts, handshake time, the IKE SA's view, liveness round trip and why it is DEGRADED. The
 * {@link Connection} says what happened; this class keeps the numbers and renders the {@link StatusView}.
 * Policy thread only.
 */
final class StatusRecorder {
    private ConnectionError lastError;
    private int failedAttempts;
    private Instant nextAttempt;
    private Duration handshake;
    private Instant connectedSince;
    private Duration livenessRtt;
    private long handshakes;
    private int reconnects;
    /** The connection was up and failed; its next CONNECTED counts as a reconnect. */
    private boolean lostAfterUp;
    /** Why the last configuration was rejected while the previous valid version stays in use. */
    private String profileProblem;
    /** While DEGRADED: why, and what is done about it. */
    private String degradation;
    /** How often the connection went from CONNECTED to DEGRADED. */
    private int degradations;
    private IkeView ike;
    /** How often the IKE SA moved to another path (MOBIKE), and how long those moves took together. */
    private int moves;
    private Duration moveOutage = Duration.ZERO;
    /** The interface the IKE SA leaves by, as last chosen; null before the network was seen. */
    private String uplink;

    /** A new IKE session starts: the previous one's IKE SA says nothing about it. */
    void attemptStarted() {
        ike = null;
        uplink = null; // the new IKE SA's path is seen when it is established
    }

    void ikeEstablished(IkeView view) {
        ike = view;
        handshakes++;
        livenessRtt = null; // a new IKE SA: the old path's round trip says nothing about it
    }

    /** @return the view of the IKE SA it replaces, or null */
    IkeView ikeRekeyed(IkeView view) {
        IkeView before = ike;
        ike = view;
        return before;
    }

    /** The current IKE SA, null without one. */
    IkeView ike() {
        return ike;
    }

    /** The IKE SA moved to another path (MOBIKE): its new view, after {@code outage} without a working path. */
    void moved(IkeView view, Duration outage) {
        ike = view;
        moves++;
        moveOutage = moveOutage.plus(outage);
    }

    /** The interface the IKE SA leaves by now (null: not known); whether that changed anything. */
    boolean uplink(String name) {
        boolean changed = !java.util.Objects.equals(uplink, name);
        uplink = name;
        return changed;
    }

    /** The connection is given up to be made anew (a new IKE SA over another path): the next CONNECTED is a reconnect. */
    void lostForReconnect() {
        if (connectedSince != null) {
            lostAfterUp = true;
        }
        connectedSince = null;
    }

    void livenessChecked(Duration roundTrip) {
        livenessRtt = roundTrip;
    }

    /** The tunnel came up {@code handshake} after the attempt started. */
    void tunnelUp(Duration handshakeTime, Instant now) {
        handshake = handshakeTime;
        connectedSince = now;
        if (lostAfterUp) {
            reconnects++;
            lostAfterUp = false;
        }
        failedAttempts = 0;
        nextAttempt = null;
    }

    /** An attempt failed; the next one is due at {@code next} (null: none, the connection is not wanted). */
    void attemptFailed(ConnectionError error, Instant next) {
        failedAttempts++;
        if (connectedSince != null) {
            lostAfterUp = true;
        }
        connectedSince = null;
        lastError = error;
        if (next != null) {
            nextAttempt = next;
        }
    }

    /** A failure another attempt cannot fix. */
    void failed(ConnectionError error) {
        lastError = error;
        connectedSince = null;
    }

    /** The operator takes the connection down: what follows is no reconnect. */
    void takenDown() {
        lostAfterUp = false;
    }

    /** A fresh start (up after DISABLED or FAILED, or after a disconnect): no failed attempts so far. */
    void freshStart() {
        failedAttempts = 0;
    }

    /** The tunnel is gone on purpose (rebuilt or disconnected). */
    void tunnelGone() {
        connectedSince = null;
    }

    void noNextAttempt() {
        nextAttempt = null;
    }

    void profileProblem(String problem) {
        profileProblem = problem;
    }

    /** DEGRADED for this reason; {@code fromConnected} counts one more degradation. */
    void degraded(String message, boolean fromConnected) {
        degradation = message;
        if (fromConnected) {
            degradations++;
        }
    }

    void stateChanged(ConnectionState next) {
        if (next != ConnectionState.DEGRADED) {
            degradation = null;
        }
    }

    /**
     * The status as of now.
     *
     * @param attemptGateway the gateway of the current attempt, null without one
     * @param tunnel         the attempt's tunnel, null without one
     * @param ikeRekeyTime   the profile's IKE SA rekey time (zero: no rekeying)
     * @param killSwitch     the kill switch service holding this connection's rules, null when it holds none
     * @param killSwitchOn   whether those rules block what does not go through the tunnel
     */
    StatusView render(String name, ConnectionState state, boolean wanted, String waitingFor,
            InetSocketAddress attemptGateway, TunnelPlumbing tunnel, Duration ikeRekeyTime, KillSwitch killSwitch,
            boolean killSwitchOn) {
        boolean established = state == ConnectionState.CONNECTED || state == ConnectionState.DEGRADED;
        boolean tunnelUp = tunnel != null && !tunnel.isClosed(); // also while detached: the NIC and the SAs are there
        ConnectionStatus.Builder b = ConnectionStatus.builder(name).state(state).wanted(wanted).lastError(lastError)
                .failedAttempts(failedAttempts).nextAttempt(state == ConnectionState.RECONNECTING ? nextAttempt : null)
                .handshakeDuration(handshake).connectedSince(established ? connectedSince : null)
                .handshakes(handshakes).reconnects(reconnects).profileProblem(profileProblem)
                .waitingFor(wanted ? waitingFor : null).degradation(degradation).degradations(degradations)
                .killSwitch(killSwitchOn).moves(moves).moveOutage(moveOutage);
        if (ike != null && attemptGateway != null) {
            b.gateway(ike.gateway()).localAddress(ike.local()).natDetected(ike.natDetected())
                    .udpEncapsulated(ike.udpEncapsulated()).ikeAlgorithms(ike.algorithms())
                    .ikeSpiInitiator(ike.spiInitiator()).ikeSpiResponder(ike.spiResponder())
                    .ikeEstablished(ike.established()).livenessRtt(livenessRtt).uplink(uplink);
            b.ikeRekeyBy(ikeRekeyTime.isZero() ? null : ike.established().plus(ikeRekeyTime));
        } else if (attemptGateway != null) {
            b.gateway(attemptGateway);
        }
        if (tunnelUp) {
            b.interfaceName(tunnel.interfaceName()).virtualIps(tunnel.virtualIps()).dnsServers(tunnel.dnsServers())
                    .dnsDomains(tunnel.dnsDomains());
        }
        return new StatusView(b.build(), tunnelUp ? tunnel.childStatuses() : List.of(), tunnelUp ? tunnel.tunnel() : null,
                killSwitch);
    }
}
