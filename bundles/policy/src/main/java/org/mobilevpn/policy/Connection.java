package org.mobilevpn.policy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspTransform;
import org.mobilevpn.api.esp.LifetimeLimit;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeEngine;
import org.mobilevpn.api.ike.IkeHandOverListener;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.net.NetworkState;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.policy.ConnectionError;
import org.mobilevpn.api.policy.ConnectionHandOver;
import org.mobilevpn.api.policy.ConnectionRecord;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.GatewayAddress;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.KillSwitch;
import org.mobilevpn.api.vnic.KillSwitchPolicy;
import org.mobilevpn.api.vnic.PreferredUplinkRoute;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.mobilevpn.api.vnic.VnicException;

/**
 * One connection's state machine (DISABLED, CONNECTING, CONNECTED, DEGRADED, RECONNECTING, DISCONNECTING,
 * FAILED): it starts IKE sessions for its profile, wires each session's Child SAs into a {@link TunnelPlumbing},
 * takes everything down exactly on disconnect or failure, and while the connection is wanted, tries again
 * after a {@link ReconnectBackoff} delay. While a tunnel is up, a health check reads its counters periodically:
 * no Child SA installed, or a Child SA whose packets get no answer ({@link ChildSaLiveness}), is DEGRADED
 * and repaired step by step ({@link StallRepair}).
 *
 * <p>The {@link KillSwitch} rules follow the connection, not its tunnels ({@link #syncKillSwitch}): with
 * {@code kill_switch} they are engaged as soon as the connection is wanted, stay through failures, reconnects
 * and a stop of the runtime, and go only with {@code vpn:down}, the profile's removal or its
 * {@code kill_switch = false}; an attempt never starts while they cannot be engaged. Whatever the profile says,
 * a tunnel's destinations are held to its device while it is up.
 *
 * <p>Confined to the policy thread: every method runs there, and the IKE engine's and data path's
 * callbacks are posted to it. Each IKE session is an {@link Attempt}; events of an attempt that is no
 * longer current (replaced or aborted) only release the keys they carry. Readers on other threads get
 * the last published {@link StatusView}.
 */
final class Connection {

    /** One IKE session and what was built from it. */
    private static final class Attempt {
        final Instant started;
        final InetSocketAddress gateway;
        /** The IKE session; null while its engine is being replaced ({@link #handedOver} holds it then). */
        IkeSession session;
        /** The IKE SA as data while no engine runs it (the ike bundle is being updated); wiped once resumed. */
        IkeSaRecord handedOver;
        /** Where the attempt goes once its IKE session is handed over: the policy bundle is being updated. */
        ConnectionHandOver handOverTo;
        TunnelPlumbing plumbing;
        /** The data path that carries the session and the tunnel; null while it is being replaced. */
        DataPath dataPath;
        /** The factory that opened the tunnel's virtual NIC (its NICs close when it goes). */
        VirtualNicFactory nics;
        /**
         * The gateway's host route on the profile's preferred uplink, set before the first IKE_SA_INIT; the tunnel's
         * NIC takes it over once up ({@link #releasePreferredRoute}). Null when the kernel's route is the preferred one.
         */
        PreferredUplinkRoute preferredRoute;
        /** The factory that set {@link #preferredRoute} (it removes the route when it goes). */
        VirtualNicFactory preferredRouteBy;
        /** Whether this tunnel's Child SAs get answers; null when that is not watched. */
        ChildSaLiveness liveness;
        /** The next health check of this tunnel. */
        final TimerSlot healthTimer;
        /** A successor's IKE SA, established, until it takes the tunnel over ({@link MakeBeforeBreak}). */
        IkeView establishedIke;
        /** A successor's gateway addresses (MOBIKE ADDITIONAL_*_ADDRESS) until it takes over. */
        List<InetAddress> announced = List.of();
        /** The IKE session ended while its successor was being made: its tunnel stays until the successor takes over. */
        boolean sessionEnded;
        /** Child SAs the gateway deleted while a successor was being made (applied if the successor fails). */
        final List<Integer> deletedMeanwhile = new ArrayList<>();

        Attempt(Instant started, InetSocketAddress gateway, PolicyScheduler scheduler) {
            this.started = started;
            this.gateway = gateway;
            this.healthTimer = new TimerSlot(scheduler);
        }
    }

    /** The longest wait between two rounds of repairs of a stall that new SAs do not fix. */
    static final Duration MAX_STALL_HOLD_OFF = Duration.ofMinutes(30);
    /** How often a tunnel without Child SA liveness is checked for having a Child SA at all. */
    private static final Duration HEALTH_CHECK = Duration.ofSeconds(1);
    /**
     * How long a tunnel waits for the next virtual NIC factory after a vnic bundle update before it starts
     * again: DS brings the new bundle's factory within a second or two; a stopped vnic bundle must not leave
     * the connection claiming a tunnel for longer than the liveness of a Child SA would.
     */
    static final Duration NIC_BACK_WITHIN = Duration.ofSeconds(10);
    /**
     * How long a connection handed over by the previous policy manager waits for its profile and services before
     * it is given up (its NIC closed): the registry replays the profiles within a second of a start.
     */
    static final Duration ADOPT_WITHIN = Duration.ofSeconds(20);

    private final String name;
    private final ConnectionContext ctx;
    private final ReconnectBackoff backoff;

    private VpnProfile profile;
    private boolean wanted;
    private ConnectionState state = ConnectionState.DISABLED;
    private Attempt attempt;
    private boolean startPending;
    private final TimerSlot retryTimer;
    private final TimerSlot disconnectTimer;
    private final TimerSlot childlessTimer;
    /** Runs out when no virtual NIC factory came back after a vnic bundle update ({@link #nicFactoryLeaving}). */
    private final TimerSlot nicTimer;
    /** The connection as the previous policy manager handed it over, until it is taken up ({@link #adopt}). */
    private ConnectionRecord adoptable;
    private final TimerSlot adoptTimer;
    /**
     * Runs out when the host's networks were not known within {@link #NETWORK_WITHIN} of a first attempt whose profile
     * prefers {@code uplinks} ({@link #awaitNetworks}).
     */
    private final TimerSlot networkTimer;
    /** The networks did not come within {@link #NETWORK_WITHIN}: attempts go on by the kernel's route meanwhile. */
    private boolean networksLate;
    /** This policy manager handed the connection to its successor: it ends here without a trace at the gateway. */
    private boolean passedOn;
    private String disconnectReason = VpnManager.REASON_REQUESTED;
    private int gatewayIndex;
    /** The service the next attempt waits for (DS binds it later, e.g. right after a runtime start). */
    private String waitingFor;
    /** Repairs of a Child SA stall; kept across the reconnect it may cause (null until liveness is first watched). */
    private StallRepair stallRepair;
    private final StatusRecorder status = new StatusRecorder();
    /**
     * The gateway addresses the kill switch lets IKE and ESP reach: {@code remote_addrs} as resolved so far, and the
     * addresses the gateway announced (MOBIKE) or moved to.
     */
    private final Set<InetAddress> gatewayAddresses = new LinkedHashSet<>();
    /** The kill switch rules last installed for this connection; null when none (or not yet known after a start). */
    private KillSwitchPolicy killSwitchApplied;
    /** The service {@link #killSwitchApplied} went to: a new one (a vnic update) has its own idea of them. */
    private KillSwitch killSwitchAppliedTo;
    /** Why the kill switch rules could not be installed, while they cannot. */
    private String killSwitchProblem;
    private volatile StatusView view;
    /** The host's networks as last heard; null until the watcher spoke (then nothing is followed). */
    private NetworkState network;
    /** The path the IKE SA is moving to (MOBIKE) while the gateway has yet to confirm it. */
    private NetworkPath moving;
    /** The path the gateway's host route was last set to ({@link #routeGatewayOutside}); null: not set by us. */
    private NetworkPath routedPath;
    /** When the path in use was lost (the start of the outage a move ends). */
    private Instant pathLostAt;
    /** No uplink reaches the gateway: DEGRADED until one does. */
    private boolean noUplink;
    /** The gateway's other addresses (MOBIKE ADDITIONAL_*_ADDRESS), a move may use them. */
    private List<InetAddress> announcedAddresses = List.of();
    /** A new IKE SA being made while {@link #attempt}'s tunnel still carries the traffic; null otherwise. */
    private Attempt successor;
    /** Why {@link #successor} is being made: the path changed (no MOBIKE) or the IKE SA is reauthenticated. */
    private MakeBeforeBreak.Cause successorCause;
    /** Takes the replaced IKE SA's last inbound SA away once packets in flight on it have arrived. */
    private final TimerSlot retiredTimer;
    /** The next reauthentication of the IKE SA ({@code reauth_time}, RFC 7296 §2.8.3). */
    private final TimerSlot reauthTimer;

    Connection(String name, ConnectionContext ctx) {
        this.name = name;
        this.ctx = ctx;
        PolicySettings s = ctx.settings();
        this.backoff = new ReconnectBackoff(s.backoffInitial(), s.backoffMax(), s.backoffJitter(), ctx.random());
        this.retryTimer = new TimerSlot(ctx.scheduler());
        this.disconnectTimer = new TimerSlot(ctx.scheduler());
        this.childlessTimer = new TimerSlot(ctx.scheduler());
        this.nicTimer = new TimerSlot(ctx.scheduler());
        this.retiredTimer = new TimerSlot(ctx.scheduler());
        this.reauthTimer = new TimerSlot(ctx.scheduler());
        this.adoptTimer = new TimerSlot(ctx.scheduler());
        this.networkTimer = new TimerSlot(ctx.scheduler());
        publish();
    }

    String name() {
        return name;
    }

    VpnProfile profile() {
        return profile;
    }

    boolean wanted() {
        return wanted;
    }

    ConnectionState state() {
        return state;
    }

    /** The last published view; safe from any thread. */
    StatusView view() {
        return view;
    }

    // ---- requests and profile changes (policy thread)

    /** The operator (or autostart, or the persisted wish) wants the connection up. */
    void up(String reason) {
        setWanted(true);
        if (profile != null) {
            syncKillSwitch(null); // before anything else: no attempt runs without it
        }
        if (profile == null) {
            fail(ConnectionState.FAILED, FailureReason.INVALID_PROFILE, "no valid profile named " + name);
            return;
        }
        switch (state) {
            case CONNECTING:
            case CONNECTED:
            case DEGRADED:
            case DISCONNECTING: // comes back up when the teardown ends, because it is wanted again
                publish();
                return;
            case RECONNECTING:
                if (attempt == null && !startPending) {
                    cancelRetry(); // the operator does not want to wait for the backoff
                    scheduleStart();
                }
                publish();
                return;
            default:
                backoff.reset();
                status.freshStart();
                if (adoptable != null) {
                    startAttempt(); // goes on with the handed-over tunnel, or waits for the services it needs
                    return;
                }
                transition(ConnectionState.CONNECTING, reason, "to " + profile.remoteAddrs().get(gatewayIndex()));
                scheduleStart();
        }
    }

    /** The operator takes the connection down: delete at the gateway, remove NIC, routes and SAs. */
    void down(String reason) {
        setWanted(false);
        dropAdoptable("the connection is taken down");
        syncKillSwitch("the connection is taken down (" + reason + ")");
        status.takenDown();
        takeDown(reason);
    }

    /**
     * The operator rekeys the IKE SA by hand ({@code vpn:rekey}); the outcome arrives as the engine's
     * {@code ikeSaRekeyed}, as after a rekey the timer started.
     *
     * @throws IllegalStateException when the connection is not CONNECTED
     */
    void rekeyIkeSa() {
        Attempt a = connectedAttempt();
        ctx.log().info(name + ": IKE SA rekey requested");
        a.session.rekeyIkeSa();
    }

    /**
     * The operator rekeys every Child SA by hand ({@code vpn:rekey --child}).
     *
     * @throws IllegalStateException when the connection is not CONNECTED
     */
    void rekeyChildSas() {
        Attempt a = connectedAttempt();
        for (ChildSaStatus child : a.plumbing.childStatuses()) {
            ctx.log().info(name + String.format(": rekey of Child SA %08x requested", child.spiIn()));
            a.session.rekeyChildSa(child.spiIn());
        }
    }

    private Attempt connectedAttempt() {
        Attempt a = attempt;
        if (state != ConnectionState.CONNECTED || a == null || a.plumbing == null) {
            throw new IllegalStateException(name + " is " + state + ", not CONNECTED: there is no SA to rekey");
        }
        if (a.session == null) {
            throw new IllegalStateException(name + ": the IKE engine is being replaced; try again in a moment");
        }
        return a;
    }

    /** The connection was wanted before the last shutdown: it comes up once its profile is there. */
    void restoreWanted() {
        wanted = true;
        publish();
    }

    /** A valid profile (new or changed) arrived for this name. */
    void profileArrived(VpnProfile p) {
        VpnProfile old = profile;
        profile = p;
        status.profileProblem(null);
        if (p.equals(old)) {
            publish();
            return;
        }
        resolveGateways();
        syncKillSwitch(wanted ? "kill_switch is off in the profile" : "the connection is not wanted");
        if (wanted) {
            if (old == null || state == ConnectionState.FAILED || state == ConnectionState.DISABLED) {
                up(old == null ? (p.autostart() ? VpnManager.REASON_AUTOSTART : VpnManager.REASON_PERSISTED)
                        : VpnManager.REASON_PROFILE_UPDATED);
            } else if (state != ConnectionState.DISCONNECTING) {
                rebuild();
            } else {
                publish();
            }
        } else if (p.autostart() && (old == null || !old.autostart())) {
            up(VpnManager.REASON_AUTOSTART);
        } else {
            publish();
        }
    }

    /** The profile's configuration was deleted: the tunnel goes; a wanted connection shows why it is not up. */
    void profileRemoved() {
        profile = null;
        dropAdoptable("the profile was removed");
        releaseKillSwitch("the profile was removed");
        if (wanted) {
            abandonAttempt();
            cancelTimers();
            fail(ConnectionState.FAILED, FailureReason.INVALID_PROFILE, "the profile was removed; 'vpn:down " + name
                    + "' forgets the connection");
        } else {
            takeDown(VpnManager.REASON_REQUESTED);
        }
    }

    /** A configuration for this name was rejected; a running tunnel keeps its previous valid profile. */
    void profileInvalid(List<ProfileProblem> problems) {
        String message = problems.isEmpty() ? "invalid profile" : problems.get(0).toString()
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
        if (profile == null && wanted) {
            fail(ConnectionState.FAILED, FailureReason.INVALID_PROFILE, message);
        } else {
            ctx.log().warn(name + ": the new configuration is invalid, " + (profile == null ? "nothing to run"
                    : "keeping the previous version") + ": " + message);
            status.profileProblem(profile == null ? null : message);
            publish();
        }
    }

    /**
     * The data path service {@code leaving} goes away (its bundle stops or is updated). If this connection
     * runs on it, the IKE session lets go of its transport and the tunnel stops, while the data path still
     * works; the IKE SA, the NIC and the SA records stay, so {@link #servicesChanged()} can continue on its
     * successor without a new handshake (DESIGN.md "state is data").
     */
    void dataPathLeaving(DataPath leaving) {
        Attempt a = attempt;
        if (a == null || a.dataPath != leaving) {
            return;
        }
        a.dataPath = null;
        if (a.session != null) {
            a.session.detachTransport();
        }
        if (a.plumbing != null) {
            a.plumbing.detachDataPath();
        }
        ctx.log().info(name + ": the data path is being replaced; IKE SA and Child SAs kept");
        publish();
    }

    /**
     * The virtual NIC factory {@code leaving} goes away (its bundle is updated or stopped) and keeps its
     * devices open for its successor: the tunnel goes on through the NIC it has while the IKE SA and Child SAs
     * wait for the next factory, which hands the same device back ({@link #continueOnNewNic}). If none comes
     * within {@link #NIC_BACK_WITHIN} the connection starts again (issue 11: it read CONNECTED with its TUN
     * device gone and nothing passing).
     */
    void nicFactoryLeaving(VirtualNicFactory leaving) {
        Attempt a = attempt;
        if (a != null && a.plumbing == null && a.preferredRoute != null && a.preferredRouteBy == leaving) {
            // the handshake's route to the preferred uplink goes with the factory: the rest of the exchange would leave
            // by another uplink than its IKE SA names, so it starts again once the next factory is there
            abort(a, FailureReason.INTERNAL, "the virtual NIC's bundle went during the handshake, and with it the route"
                    + " to the preferred uplink");
            return;
        }
        if (a == null || a.plumbing == null || a.nics != leaving) {
            return;
        }
        a.nics = null;
        a.plumbing.detachNic();
        ctx.log().info(name + ": the virtual NIC's bundle is being replaced; " + a.plumbing.interfaceName()
                + " (carrying packets meanwhile), IKE SA and Child SAs kept");
        nicTimer.schedule(NIC_BACK_WITHIN, ifCurrent(a, () -> abort(a, FailureReason.INTERNAL,
                "no virtual NIC factory came back within " + NIC_BACK_WITHIN.toSeconds() + " s for "
                        + a.plumbing.interfaceName() + "; a new tunnel once one is there")));
        publish();
    }

    /** Continues a tunnel whose NIC was kept across a vnic bundle update on the factory that is there now. */
    private void continueOnNewNic(Attempt a, VirtualNicFactory nics) {
        nicTimer.cancel();
        try {
            a.plumbing.attachNic(nics, a.dataPath);
        } catch (IOException | RuntimeException e) {
            abort(a, FailureReason.INTERNAL, "cannot take the virtual NIC back from the new factory: " + e.getMessage());
            return;
        }
        a.nics = nics;
        ctx.log().info(name + ": continued on " + a.plumbing.interfaceName()
                + " from the new virtual NIC factory with the same IKE SA and Child SAs");
        publish();
    }

    /** Continues a detached attempt on the data path that is there now, without a new handshake. */
    private void continueOnNewDataPath(Attempt a, DataPath dataPath) {
        try {
            if (a.session != null) {
                a.session.attachTransport(dataPath.openIkeTransport(a.gateway));
            }
            if (a.plumbing != null) {
                a.plumbing.attachDataPath(dataPath);
            }
        } catch (IOException | RuntimeException e) {
            abort(a, FailureReason.INTERNAL, "cannot continue on the new data path: " + e.getMessage());
            return;
        }
        a.dataPath = dataPath;
        ctx.log().info(name + ": continued on the new data path with the same IKE SA and Child SAs");
        publish();
    }

    /**
     * The IKE engine went away (its bundle is updated or stopped) and handed the session over as data: the
     * Child SAs go on in the data path, the IKE SA waits in {@code record} for the next engine, which goes
     * on from it without a new handshake (DESIGN.md "state is data").
     */
    private void onHandedOver(Attempt a, IkeSaRecord record) {
        if (a.handOverTo != null) {
            passOn(a, record);
            return;
        }
        a.session = null;
        a.handedOver = record;
        ctx.log().info(name + ": the IKE engine is being replaced; IKE SA " + String.format("%016x_i",
                record.ikeSa().initiatorSpi()) + " kept as data, Child SAs go on");
        resumeOnNewEngine(a);
        publish();
    }

    /** Resumes a handed-over IKE SA on the engine that is there now, if any; the record is wiped after. */
    private void resumeOnNewEngine(Attempt a) {
        IkeEngine engine = ctx.services().ikeEngine();
        if (engine == null || a.dataPath == null || profile == null) {
            return; // servicesChanged() comes back when they are there
        }
        IkeSaRecord record = a.handedOver;
        a.handedOver = null;
        IkeTransport transport = null;
        try (record) {
            transport = a.dataPath.openIkeTransport(a.gateway);
            a.session = engine.resume(record, profile.ike(), transport, new SessionListener(a));
        } catch (IOException | RuntimeException e) {
            if (transport != null) {
                transport.close();
            }
            abort(a, FailureReason.INTERNAL, "the new IKE engine cannot go on with the IKE SA (" + e.getMessage()
                    + "); a new IKE SA");
            return;
        }
        ctx.log().info(name + ": the new IKE engine goes on with the same IKE SA and Child SAs");
        publish();
    }

    /**
     * A service (engine, data path, NIC factory) arrived: a detached connection continues on the new data
     * path; a connection waiting for a service, or for a retry, tries now (if something is still missing it
     * goes on waiting).
     */
    void servicesChanged() {
        syncKillSwitch(wanted ? "kill_switch is off in the profile" : "the connection is not wanted");
        DataPath dataPath = ctx.services().dataPath();
        if (attempt != null && attempt.dataPath == null && dataPath != null) {
            continueOnNewDataPath(attempt, dataPath);
        }
        if (attempt != null && attempt.handedOver != null) {
            resumeOnNewEngine(attempt);
        }
        VirtualNicFactory nics = ctx.services().virtualNicFactory();
        if (attempt != null && attempt.plumbing != null && attempt.nics == null && nics != null) {
            continueOnNewNic(attempt, nics);
        }
        if (attempt != null) {
            return;
        }
        boolean waiting = waitingFor != null || state == ConnectionState.RECONNECTING;
        if (waiting && wanted && profile != null && attempt == null && !startPending) {
            cancelRetry();
            scheduleStart();
            publish();
        }
    }

    /**
     * The policy manager stops: everything down now; the wish to be up stays persisted.
     *
     * @return the IKE session whose DELETE is now on its way to the gateway, or null
     */
    IkeSession shutdown(boolean releaseKillSwitch) {
        IkeSession closing = attempt == null ? null : attempt.session;
        waitingFor = null;
        cancelTimers();
        startPending = false;
        abandonAttempt();
        dropAdoptable("the policy manager stops");
        if (releaseKillSwitch) {
            releaseKillSwitch("the runtime stops (release_kill_switch_on_stop)");
        } else if (killSwitchApplied != null && killSwitchApplied.killSwitch()) {
            ctx.log().info(name + ": the kill switch stays engaged while the runtime is stopped (vpn:down " + name
                    + " releases it)");
        }
        if (passedOn) {
            ctx.log().info(name + ": handed over to the next policy manager");
        } else if (state != ConnectionState.DISABLED) {
            transition(ConnectionState.DISABLED, VpnManager.REASON_SHUTDOWN, "the policy manager stops");
        }
        return closing;
    }

    /**
     * The framework stops, and the data path this connection runs on goes before the policy manager:
     * shut down now, while the data path still carries our DELETE to the gateway.
     *
     * @return the IKE session whose DELETE is on its way, or null when the connection is not on it
     */
    IkeSession shutdownBefore(DataPath leaving, boolean releaseKillSwitch) {
        Attempt a = attempt;
        return a != null && a.dataPath == leaving ? shutdown(releaseKillSwitch) : null;
    }

    // ---- hand-over to the next policy manager (its bundle is updated)

    /**
     * The policy bundle is being updated: an established tunnel goes to the next policy manager instead of being
     * deleted. The IKE session is asked for its IKE SA as data ({@link IkeSession#handOver}); once it arrives,
     * {@link #passOn} puts it, with the NIC and the ESP records, into {@code store}.
     *
     * @return whether a hand-over is under way (otherwise the connection is shut down as before)
     */
    boolean handOver(Duration grace, ConnectionHandOver store) {
        Attempt a = attempt;
        if (a == null || a.session == null || a.plumbing == null || a.dataPath == null || a.nics == null
                || !established() || moving != null) {
            return false;
        }
        a.handOverTo = store;
        a.session.handOver(grace);
        return true;
    }

    /** A hand-over asked for by {@link #handOver} has not ended yet. */
    boolean handingOver() {
        return attempt != null && attempt.handOverTo != null;
    }

    /** The IKE session stopped between exchanges and handed its IKE SA over: the whole connection goes on to the store. */
    private void passOn(Attempt a, IkeSaRecord record) {
        ConnectionHandOver store = a.handOverTo;
        a.handOverTo = null;
        a.session = null;
        a.healthTimer.cancel();
        ConnectionRecord r;
        try {
            r = a.plumbing.handOver(name, a.gateway, record, ctx.clock().instant());
        } catch (RuntimeException e) {
            record.close(); // nothing was sent: the gateway's liveness checks end the IKE SA
            ctx.log().warn(name + ": the tunnel cannot be handed over (" + e.getMessage()
                    + "); it ends with this policy manager");
            return;
        }
        attempt = null;
        passedOn = true;
        store.keep(r);
        ctx.log().info(name + ": IKE SA " + String.format("%016x_i", record.ikeSa().initiatorSpi()) + ", "
                + r.children().size() + " Child SA(s) and " + r.nic().name() + " handed to the next policy manager");
    }

    /**
     * The previous policy manager handed this connection over: the next start goes on with it
     * ({@link #adoptAttempt}) instead of a new IKE SA, if it comes within {@link #ADOPT_WITHIN}.
     */
    void adopt(ConnectionRecord r) {
        if (attempt != null || adoptable != null || !wanted) {
            ctx.log().warn(name + ": the connection handed over by the previous policy manager is not needed here;"
                    + " given up");
            r.close();
            return;
        }
        adoptable = r;
        adoptTimer.schedule(ADOPT_WITHIN, () -> dropAdoptable("it was not taken up within " + seconds(ADOPT_WITHIN)));
        if (profile != null && state == ConnectionState.DISABLED) {
            up(VpnManager.REASON_HANDED_OVER);
        }
    }

    /** Gives a handed-over connection up: its keys are wiped and its NIC closed. */
    private void dropAdoptable(String why) {
        ConnectionRecord r = adoptable;
        if (r != null) {
            adoptable = null;
            adoptTimer.cancel();
            ctx.log().warn(name + ": the connection handed over by the previous policy manager is given up: " + why);
            r.close();
        }
    }

    /**
     * Goes on with the handed-over connection: a new data path tunnel on the same NIC with the same SAs and their
     * sequence numbers, the IKE SA resumed by the engine. No handshake, nothing to the gateway.
     */
    private void adoptAttempt(IkeEngine engine, DataPath dataPath, VirtualNicFactory nics) {
        ConnectionRecord r = adoptable;
        adoptable = null;
        adoptTimer.cancel();
        Instant now = ctx.clock().instant();
        Attempt a = new Attempt(now, r.ikeGateway(), ctx.scheduler());
        a.dataPath = dataPath;
        a.nics = nics;
        IkeView ike = IkeView.of(r.ike().ikeSa(), now);
        try {
            a.plumbing = TunnelPlumbing.adopt(r, dataPath, ctx.settings(), profile, lifetimeListener(a));
        } catch (IOException | RuntimeException e) {
            r.close();
            attemptFailed(FailureReason.INTERNAL, "cannot go on with the tunnel the previous policy manager handed over ("
                    + e.getMessage() + "); a new IKE SA");
            return;
        }
        attempt = a;
        IkeTransport transport = null;
        try (IkeSaRecord record = r.ike()) {
            transport = dataPath.openIkeTransport(r.ikeGateway());
            a.session = engine.resume(record, profile.ike(), transport, new SessionListener(a));
        } catch (IOException | RuntimeException e) {
            if (transport != null) {
                transport.close();
            }
            abort(a, FailureReason.INTERNAL, "the IKE engine cannot go on with the handed-over IKE SA (" + e.getMessage()
                    + "); a new IKE SA");
            return;
        }
        gatewayAddresses.add(r.ikeGateway().getAddress());
        status.ikeEstablished(ike);
        status.tunnelUp(null, now); // no handshake here: the status shows none rather than 0 ms
        watchHealth(a);
        syncKillSwitch(null);
        String message = String.format("IKE SA %016x_i, %d Child SA(s) and %s taken over from the previous policy manager",
                ike.spiInitiator(), r.children().size(), r.nic().name());
        ctx.log().info(name + ": " + message);
        transition(ConnectionState.CONNECTED, VpnManager.REASON_HANDED_OVER, message);
    }

    // ---- attempts

    private void scheduleStart() {
        startPending = true;
        ctx.scheduler().execute(() -> {
            if (startPending) {
                startAttempt();
            }
        });
    }

    private void startAttempt() {
        startPending = false;
        status.noNextAttempt();
        if (profile == null || !wanted || attempt != null) {
            return;
        }
        IkeEngine engine = ctx.services().ikeEngine();
        DataPath dataPath = ctx.services().dataPath();
        VirtualNicFactory nics = ctx.services().virtualNicFactory();
        String missing = engine == null ? "IkeEngine" : dataPath == null ? "DataPath" : nics == null ? "VirtualNicFactory"
                : profile.killSwitch() && ctx.services().killSwitch() == null ? "KillSwitch" : null;
        if (missing != null) {
            // Not a failure: DS binds services in no particular order (at start, during a bundle update).
            // servicesChanged() starts the attempt when the service arrives.
            if (!missing.equals(waitingFor)) {
                ctx.log().info(name + ": waiting for the " + missing + " service before connecting");
            }
            waitingFor = missing;
            publish();
            return;
        }
        waitingFor = null;
        if (adoptable != null) {
            adoptAttempt(engine, dataPath, nics);
            return;
        }
        if (awaitNetworks()) {
            return;
        }
        GatewayAddress gw = profile.remoteAddrs().get(gatewayIndex());
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(ctx.services().resolve(gw.host()), gw.port());
        } catch (UnknownHostException e) {
            attemptFailed(FailureReason.UNREACHABLE, "cannot resolve the gateway " + gw.host());
            return;
        }
        gatewayAddresses.add(address.getAddress());
        if (!syncKillSwitch(null)) {
            attemptFailed(FailureReason.INTERNAL, "the kill switch cannot be engaged, so no tunnel is started: "
                    + killSwitchProblem);
            return;
        }
        PreferredUplinkRoute preferredRoute = routeToPreferredUplink(nics, address.getAddress());
        IkeTransport transport;
        try {
            transport = dataPath.openIkeTransport(address); // its source address follows the route just set
        } catch (IOException | RuntimeException e) {
            closeQuietly(preferredRoute);
            attemptFailed(FailureReason.UNREACHABLE, "cannot open an IKE socket toward " + address + ": " + e.getMessage());
            return;
        }
        Attempt a = new Attempt(ctx.clock().instant(), address, ctx.scheduler());
        a.dataPath = dataPath;
        a.preferredRoute = preferredRoute;
        a.preferredRouteBy = nics;
        attempt = a;
        moving = null;
        routedPath = null;
        noUplink = false;
        announcedAddresses = List.of();
        status.attemptStarted();
        try {
            a.session = engine.start(profile.ikeFor(gw), transport, new SessionListener(a));
        } catch (IllegalArgumentException e) {
            attempt = null;
            transport.close();
            releasePreferredRoute(a);
            fail(ConnectionState.FAILED, FailureReason.INVALID_PROFILE, e.getMessage());
            return;
        } catch (RuntimeException e) {
            attempt = null;
            transport.close();
            releasePreferredRoute(a);
            attemptFailed(FailureReason.INTERNAL, "the IKE engine did not start: " + e);
            return;
        }
        ctx.log().info(name + ": IKE_SA_INIT toward " + address);
        publish();
    }

    /**
     * With {@code uplinks} preferring another uplink than the kernel's route to the gateway, routes the gateway out of
     * the preferred one before the first IKE_SA_INIT ({@link UplinkChoice#preferredAgainstKernel}), so the gateway sees
     * the exchange come from that path and no move follows the connect. Null when no such route is needed, or when it
     * cannot be set: the handshake then takes the kernel's route and the tunnel moves once up.
     */
    private PreferredUplinkRoute routeToPreferredUplink(VirtualNicFactory nics, InetAddress gateway) {
        Optional<NetworkPath> path = UplinkChoice.preferredAgainstKernel(network, gateway, profile.uplinks());
        if (path.isEmpty()) {
            return null;
        }
        try {
            return nics.routeGateway(gateway, path.get().uplink(), path.get().nextHop());
        } catch (VnicException | RuntimeException e) {
            ctx.log().warn(name + ": the handshake takes the kernel's route, not the preferred " + path.get() + ": "
                    + e.getMessage());
            return null;
        }
    }

    /**
     * The attempt's route to the preferred uplink is done with: the tunnel's NIC took it over (nothing changes), or the
     * attempt ended before (it is removed, so a failed or aborted connect leaves no route behind).
     */
    private static void releasePreferredRoute(Attempt a) {
        closeQuietly(a.preferredRoute);
        a.preferredRoute = null;
    }

    private static void closeQuietly(PreferredUplinkRoute route) {
        if (route != null) {
            route.close();
        }
    }

    /**
     * How long a first attempt whose profile prefers {@code uplinks} waits for the host's networks: the network watcher
     * reads them on a thread of its own once its bundle starts, and without them the preferred uplink is not known
     * (the handshake would take the kernel's route and the tunnel move once up).
     */
    static final Duration NETWORK_WITHIN = Duration.ofSeconds(1);

    /**
     * With {@code uplinks} and the host's networks not known yet, the attempt waits for them (at most
     * {@link #NETWORK_WITHIN}; {@link #networkChanged} starts it as soon as they come).
     *
     * @return whether the attempt waits
     */
    private boolean awaitNetworks() {
        if (network != null || networksLate || profile.uplinks().isEmpty()) {
            return false;
        }
        if (!networkTimer.isPending()) {
            ctx.log().info(name + ": waiting up to " + NETWORK_WITHIN.toMillis() + " ms for the host's networks, so that"
                    + " the first handshake leaves by the preferred uplink");
            networkTimer.schedule(NETWORK_WITHIN, () -> {
                networksLate = true;
                ctx.log().warn(name + ": the host's networks are not known after " + NETWORK_WITHIN.toMillis()
                        + " ms; the handshake takes the kernel's route");
                startAttempt();
            });
        }
        return true;
    }

    private int gatewayIndex() {
        return Math.floorMod(gatewayIndex, profile.remoteAddrs().size());
    }

    /** The current attempt failed (or could not start): wait, then try again, while wanted. */
    private void attemptFailed(FailureReason reason, String message) {
        gatewayIndex++; // with several remote_addrs, the next attempt tries the next gateway
        ConnectionError error = new ConnectionError(reason, message, ctx.clock().instant());
        if (!wanted) {
            status.attemptFailed(error, null);
            transition(ConnectionState.DISABLED, reason.name(), message);
            return;
        }
        Duration delay = backoff.next();
        status.attemptFailed(error, ctx.clock().instant().plus(delay));
        retryTimer.schedule(delay, this::retry);
        ctx.log().warn(name + ": " + reason + ": " + message + "; next attempt in " + seconds(delay));
        transition(ConnectionState.RECONNECTING, reason.name(), message);
    }

    /** A failure that another attempt cannot fix (the profile): stop trying until the profile changes. */
    private void fail(ConnectionState target, FailureReason reason, String message) {
        waitingFor = null;
        status.failed(new ConnectionError(reason, message, ctx.clock().instant()));
        ctx.log().warn(name + ": " + reason + ": " + message);
        transition(target, reason.name(), message);
    }

    private void retry() {
        if (wanted && attempt == null && state == ConnectionState.RECONNECTING) {
            ctx.log().info(name + ": next attempt (" + VpnManager.REASON_RETRY + ")");
            startAttempt();
        }
    }

    /** The profile changed under a running or waiting connection: rebuild it with the new version. */
    private void rebuild() {
        cancelRetry();
        abandonAttempt();
        stallRepair = null; // a new profile (perhaps a new dpd_delay) starts afresh
        backoff.reset();
        status.tunnelGone();
        if (state == ConnectionState.CONNECTING) {
            publish();
        } else {
            transition(ConnectionState.RECONNECTING, VpnManager.REASON_PROFILE_UPDATED, "rebuilding with the new profile");
        }
        scheduleStart();
    }

    private void takeDown(String reason) {
        dropSuccessor();
        waitingFor = null;
        stallRepair = null;
        cancelRetry();
        childlessTimer.cancel();
        startPending = false;
        if (attempt != null) {
            Attempt a = attempt;
            NetworkPath deleteOver = routedPath;
            closePlumbing(a); // traffic stops and NIC, routes and DNS are gone at once
            if (deleteOver != null && a.session != null && profile != null) {
                // the gateway's route on the preferred uplink went with the NIC: our DELETE would leave by the kernel's
                // route, from an address the IKE SA does not name; the route stays until the exchange ends
                VirtualNicFactory nics = ctx.services().virtualNicFactory();
                a.preferredRoute = nics == null ? null : routeToPreferredUplink(nics, deleteOver.remote());
                a.preferredRouteBy = nics;
            }
            disconnectReason = reason;
            transition(ConnectionState.DISCONNECTING, reason, "deleting the IKE SA at the gateway");
            disconnectTimer.schedule(ctx.settings().disconnectTimeout(), () -> {
                if (attempt == a) {
                    ctx.log().warn(name + ": no answer to our DELETE within "
                            + seconds(ctx.settings().disconnectTimeout()) + "; gone anyway");
                    finishDisconnect();
                }
            });
            if (a.session == null) {
                closeSession(a); // no engine to send the DELETE: the gateway's liveness checks end the IKE SA
                finishDisconnect();
            } else {
                a.session.close();
            }
        } else if (state == ConnectionState.DISCONNECTING) {
            publish(); // still waiting for the gateway
        } else if (state != ConnectionState.DISABLED) {
            transition(ConnectionState.DISABLED, reason, null);
        } else {
            publish();
        }
    }

    private void finishDisconnect() {
        disconnectTimer.cancel();
        if (attempt != null) {
            releasePreferredRoute(attempt); // the DELETE's route (takeDown)
        }
        attempt = null;
        status.tunnelGone();
        if (wanted && profile != null) {
            backoff.reset();
            status.freshStart();
            transition(ConnectionState.CONNECTING, VpnManager.REASON_REQUESTED, "up again");
            scheduleStart();
        } else {
            transition(ConnectionState.DISABLED, disconnectReason, "disconnected");
        }
    }

    /** Drops the current attempt: tunnel down, session closed (its later events are stale). */
    private void abandonAttempt() {
        dropSuccessor();
        if (attempt != null) {
            Attempt a = attempt;
            attempt = null;
            closePlumbing(a);
            closeSession(a);
        }
        disconnectTimer.cancel();
    }

    /** The attempt broke on our side (tunnel could not be built): close it and try again later. */
    private void abort(Attempt a, FailureReason reason, String message) {
        dropSuccessor();
        attempt = null;
        closePlumbing(a);
        closeSession(a);
        childlessTimer.cancel();
        attemptFailed(reason, message);
    }

    /** Closes the attempt's IKE session, or wipes its handed-over IKE SA when no engine runs it. */
    private static void closeSession(Attempt a) {
        if (a.session != null) {
            a.session.close();
        }
        if (a.handedOver != null) {
            a.handedOver.close();
            a.handedOver = null;
        }
    }

    private void closePlumbing(Attempt a) {
        releasePreferredRoute(a);
        a.healthTimer.cancel();
        nicTimer.cancel();
        if (a.plumbing != null) {
            try {
                a.plumbing.close();
            } catch (RuntimeException e) {
                ctx.log().error(name + ": tearing the tunnel down failed: " + e);
            }
            syncKillSwitch("the tunnel is down and kill_switch is off");
        }
    }

    // ---- kill switch (policy thread)

    /** Resolves every {@code remote_addrs} entry once (a literal needs no lookup); a name that fails is left out. */
    private void resolveGateways() {
        gatewayAddresses.clear();
        for (GatewayAddress g : profile.remoteAddrs()) {
            try {
                gatewayAddresses.add(ctx.services().resolve(g.host()));
            } catch (UnknownHostException e) {
                ctx.log().warn(name + ": cannot resolve " + g.host() + " for the kill switch now; it is added when an"
                        + " attempt resolves it");
            }
        }
    }

    /**
     * Brings the kill switch rules in line with what the connection needs now ({@link KillSwitchPlan}): installs
     * or changes them, or removes them when nothing is needed. A wanted connection whose profile has not arrived
     * yet (just after a start) keeps whatever an earlier run left.
     *
     * @param releaseReason why, when this removes the rules
     * @return false when the profile's kill switch is needed and not engaged (no service, or it refused)
     */
    private boolean syncKillSwitch(String releaseReason) {
        if (profile == null) {
            return true;
        }
        KillSwitch ks = ctx.services().killSwitch();
        KillSwitchPolicy desired = wanted ? KillSwitchPlan.policy(profile, gatewayAddresses, tunnelled()) : null;
        boolean required = desired != null && desired.killSwitch();
        if (ks == null) {
            killSwitchProblem = required ? "no KillSwitch service" : null;
            return !required;
        }
        if (ks != killSwitchAppliedTo) {
            killSwitchApplied = null;
            killSwitchAppliedTo = ks;
        }
        try {
            if (desired == null || !desired.restricts()) {
                if (killSwitchApplied != null || ks.installed().contains(name)) {
                    ks.remove(name, releaseReason == null ? "not needed any more" : releaseReason);
                }
                killSwitchApplied = null;
            } else if (!desired.equals(killSwitchApplied)) {
                ks.apply(name, desired);
                killSwitchApplied = desired;
            }
            killSwitchProblem = null;
            return true;
        } catch (VnicException | RuntimeException e) {
            killSwitchProblem = e.getMessage();
            if (required) {
                ctx.log().error(name + ": kill switch: " + e.getMessage());
            } else {
                ctx.log().warn(name + ": the rules that hold the tunnel's destinations to it: " + e.getMessage());
            }
            return !required;
        }
    }

    /** Removes the kill switch rules now, whatever the connection wants (profile removed, a stop that says so). */
    private void releaseKillSwitch(String reason) {
        KillSwitch ks = ctx.services().killSwitch();
        if (ks == null) {
            return;
        }
        try {
            ks.remove(name, reason);
            killSwitchApplied = null;
        } catch (VnicException | RuntimeException e) {
            ctx.log().error(name + ": the kill switch could not be released (" + reason + "): " + e.getMessage());
        }
    }

    /** The destinations of the tunnel now up, or none. */
    private List<IpPrefix> tunnelled() {
        Attempt a = attempt;
        return a == null || a.plumbing == null ? List.of() : a.plumbing.tunnelledPrefixes();
    }

    // ---- IKE session events (policy thread, posted by SessionListener)

    private void onIkeSaEstablished(IkeSaInfo info) {
        try (info) {
            IkeView ike = IkeView.of(info, ctx.clock().instant());
            status.ikeEstablished(ike);
            ctx.log().info(name + ": IKE SA established " + ike.algorithms() + " " + ike.local() + " -> "
                    + ike.gateway() + (ike.natDetected() ? " (NAT)" : ""));
            publish();
        }
    }

    private void onChildSaEstablished(Attempt a, ChildSaInfo info) {
        if (state == ConnectionState.DISCONNECTING) {
            info.close();
            return;
        }
        Instant now = ctx.clock().instant();
        int id = ctx.services().nextChildSaId();
        if (a.plumbing == null) {
            try {
                a.nics = ctx.services().virtualNicFactory();
                a.plumbing = TunnelPlumbing.open(a.nics, a.dataPath, ctx.settings(), profile, id, info, now,
                        lifetimeListener(a));
            } catch (IOException | RuntimeException e) {
                abort(a, FailureReason.INTERNAL, "cannot set up the tunnel: " + e.getMessage());
                return;
            }
            syncKillSwitch(null); // the tunnel's destinations now leave through it only
            Duration handshake = Duration.between(a.started, now);
            status.tunnelUp(handshake, now);
            backoff.reset();
            childlessTimer.cancel();
            String established = "virtual IP " + a.plumbing.virtualIps().stream().map(java.net.InetAddress::getHostAddress)
                    .collect(java.util.stream.Collectors.joining(", ")) + " on " + a.plumbing.interfaceName() + " after "
                    + handshake.toMillis() + " ms";
            watchHealth(a);
            scheduleReauth(a);
            if (stallRepair != null && stallRepair.isOpen()) {
                // the last packets got no answer: this tunnel has yet to show that they do now
                degrade(VpnManager.REASON_TRAFFIC_STALLED, "re-established (" + established + ") after packets got no"
                        + " answer; CONNECTED once packets arrive on it");
            } else {
                transition(ConnectionState.CONNECTED, VpnManager.REASON_ESTABLISHED, established);
            }
            followUplink(); // the uplink in use, for the status; a path that changed during the handshake is followed
            releasePreferredRoute(a); // the NIC routes the gateway now (followUplink): its route, not ours
        } else {
            try {
                a.plumbing.addChild(id, info, now);
            } catch (IOException | RuntimeException e) {
                abort(a, FailureReason.INTERNAL, "cannot install a further Child SA: " + e.getMessage());
                return;
            }
            childlessTimer.cancel();
            syncKillSwitch(null);
            ctx.log().info(name + ": further Child SA installed, " + info);
            if (state == ConnectionState.DEGRADED && (stallRepair == null || !stallRepair.isOpen())) {
                // it was DEGRADED for want of a Child SA
                transition(ConnectionState.CONNECTED, VpnManager.REASON_ESTABLISHED, "a Child SA is installed again");
            } else {
                publish();
            }
        }
    }

    /**
     * A Child SA was rekeyed: by us ({@code byPeer == false}, send with the new SA at once) or by the gateway
     * (receive with it now, send with it once the gateway deletes the old one: {@link TunnelPlumbing#rekeyByPeer}).
     */
    private void onChildSaRekeyed(Attempt a, int replacedSpiIn, ChildSaInfo info, boolean byPeer) {
        if (a.plumbing == null) {
            info.close();
            return;
        }
        int newSpiIn = info.spiIn();
        try {
            Instant now = ctx.clock().instant();
            if (!(byPeer ? a.plumbing.rekeyByPeer(replacedSpiIn, info, now) : a.plumbing.rekey(replacedSpiIn, info, now))) {
                ctx.log().warn(name + String.format(": rekey of unknown Child SA %08x ignored", replacedSpiIn));
                return;
            }
        } catch (IOException | RuntimeException e) {
            abort(a, FailureReason.INTERNAL, "cannot install the rekeyed Child SA: " + e.getMessage());
            return;
        }
        syncKillSwitch(null); // the gateway may have narrowed the selectors differently
        String message = String.format("Child SA %08x replaced by %08x", replacedSpiIn, newSpiIn)
                + (byPeer ? " (the gateway's rekey)" : "");
        ctx.log().info(name + ": " + message);
        if (a.liveness != null && state == ConnectionState.DEGRADED) {
            a.liveness.restart(); // the new Child SA gets its own window
        }
        publish();
        ctx.events().rekeyed(name, state, VpnManager.REASON_CHILD_SA_REKEYED, message);
    }

    private void onChildSaDeleted(Attempt a, int spiIn) {
        if (a.plumbing == null) {
            return;
        }
        if (successor != null) {
            a.deletedMeanwhile.add(spiIn); // its replacement is on its way: routes and SPD stay until then
            return;
        }
        boolean any;
        try {
            any = a.plumbing.childDeleted(spiIn);
        } catch (IOException | RuntimeException e) {
            abort(a, FailureReason.INTERNAL, "cannot remove a deleted Child SA: " + e.getMessage());
            return;
        }
        syncKillSwitch(null);
        if (!any && established() && !childlessTimer.isPending()) {
            // when the whole IKE SA goes, its end follows right away; otherwise the gateway dropped our only tunnel
            childlessTimer.schedule(ctx.settings().childlessGrace(), ifCurrent(a, () -> {
                if (a.plumbing != null && !a.plumbing.hasChildren()) {
                    abort(a, FailureReason.PEER_GONE, "the gateway deleted the last Child SA");
                }
            }));
        }
        publish();
    }

    private void onIkeSaRekeyed(Attempt a, IkeSaInfo info) {
        try (info) {
            IkeView ike = IkeView.of(info, ctx.clock().instant());
            IkeView before = status.ikeRekeyed(ike);
            if (a.plumbing != null && before != null && !before.gateway().equals(ike.gateway()) && ike.udpEncapsulated()) {
                a.plumbing.updateGateway(ike.gateway());
            }
            publish();
            ctx.events().rekeyed(name, state, VpnManager.REASON_IKE_SA_REKEYED, "IKE SA rekeyed, " + ike.algorithms());
        }
    }

    private void onLivenessChecked(Duration roundTrip) {
        status.livenessChecked(roundTrip);
        publish();
    }

    /** The session's final event: deleted ({@code reason == null}) or failed. */
    private void onSessionEnded(Attempt a, FailureReason reason, String message) {
        if (successor != null && state != ConnectionState.DISCONNECTING) {
            // make-before-break: the new IKE SA is on its way; the tunnel (routes, kill switch) waits for it
            a.sessionEnded = true;
            ctx.log().info(name + ": the old IKE SA ended (" + message + ") before the new one is up; its tunnel"
                    + " stays until then");
            return;
        }
        attempt = null;
        closePlumbing(a);
        childlessTimer.cancel();
        if (state == ConnectionState.DISCONNECTING) {
            finishDisconnect();
        } else if (reason == FailureReason.INVALID_PROFILE) {
            fail(ConnectionState.FAILED, reason, message);
        } else {
            attemptFailed(reason == null ? FailureReason.PEER_GONE : reason, message);
        }
    }

    private void onLifetimeLimit(Attempt a, int spi, LifetimeLimit limit, boolean hard) {
        if (a.plumbing == null) {
            return;
        }
        Integer spiIn = a.plumbing.spiInOf(spi);
        if (spiIn != null) {
            ctx.log().info(name + String.format(": SA %08x reached its %s %s limit; rekeying", spi,
                    hard ? "hard" : "soft", limit));
            if (a.session != null) {
                a.session.rekeyChildSa(spiIn);
            }
        }
    }

    private EspSaListener lifetimeListener(Attempt a) {
        return new EspSaListener() {
            @Override
            public void softLimitReached(EspTransform transform, LifetimeLimit limit) {
                int spi = transform.spi();
                deliver(a, null, () -> onLifetimeLimit(a, spi, limit, false));
            }

            @Override
            public void hardLimitReached(EspTransform transform, LifetimeLimit limit) {
                int spi = transform.spi();
                deliver(a, null, () -> onLifetimeLimit(a, spi, limit, true));
            }
        };
    }

    /**
     * The one place where events of an attempt that is no longer current (replaced or aborted) are told from
     * current ones: {@code work} runs on the policy thread only while {@code a} is the current attempt;
     * otherwise, and when the policy thread is gone (shutdown), only the keys {@code owned} carries are wiped.
     */
    private void deliver(Attempt a, AutoCloseable owned, Runnable work) {
        deliver(a, owned, work, null);
    }

    /**
     * As {@link #deliver(Attempt, AutoCloseable, Runnable)}; while {@code a} is the {@link #successor} being made,
     * {@code whileSuccessor} runs instead (null: the event means nothing yet, its keys are wiped).
     */
    private void deliver(Attempt a, AutoCloseable owned, Runnable work, Runnable whileSuccessor) {
        try {
            ctx.scheduler().execute(() -> {
                if (a == attempt) {
                    work.run();
                } else if (a == successor && whileSuccessor != null) {
                    whileSuccessor.run();
                } else {
                    release(owned);
                }
            });
        } catch (RejectedExecutionException e) {
            release(owned);
        }
    }

    /** {@code work}, to be run later (a timer), that does nothing once {@code a} is no longer current. */
    private Runnable ifCurrent(Attempt a, Runnable work) {
        return () -> {
            if (a == attempt) {
                work.run();
            }
        };
    }

    private static void release(AutoCloseable owned) {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception ignored) {
                // records' close() only wipes arrays
            }
        }
    }

    /** The engine's events, handed over to the policy thread. */
    private final class SessionListener implements IkeHandOverListener {
        private final Attempt a;

        SessionListener(Attempt a) {
            this.a = a;
        }

        @Override
        public void ikeSaEstablished(IkeSaInfo info) {
            deliver(a, info, () -> onIkeSaEstablished(info), () -> onSuccessorIkeSa(a, info));
        }

        @Override
        public void childSaEstablished(ChildSaInfo info) {
            deliver(a, info, () -> onChildSaEstablished(a, info), () -> takeOver(a, info));
        }

        @Override
        public void childSaRekeyed(int replacedSpiIn, ChildSaInfo replacement) {
            deliver(a, replacement, () -> onChildSaRekeyed(a, replacedSpiIn, replacement, false));
        }

        @Override
        public void childSaRekeyedByPeer(int replacedSpiIn, ChildSaInfo replacement) {
            deliver(a, replacement, () -> onChildSaRekeyed(a, replacedSpiIn, replacement, true));
        }

        @Override
        public void childSaDeleted(int spiIn, boolean byPeer) {
            deliver(a, null, () -> onChildSaDeleted(a, spiIn));
        }

        @Override
        public void ikeSaRekeyed(IkeSaInfo replacement) {
            deliver(a, replacement, () -> onIkeSaRekeyed(a, replacement));
        }

        @Override
        public void livenessChecked(Duration roundTrip) {
            deliver(a, null, () -> onLivenessChecked(roundTrip));
        }

        @Override
        public void ikeSaMoved(InetSocketAddress local, InetSocketAddress remote, NatState nat) {
            deliver(a, null, () -> onIkeSaMoved(a, local, remote, nat));
        }

        @Override
        public void moveImpossible(String reason) {
            deliver(a, null, () -> onMoveImpossible(a, reason));
        }

        @Override
        public void gatewayAddresses(List<InetAddress> additional) {
            deliver(a, null, () -> onGatewayAddresses(additional), () -> a.announced = List.copyOf(additional));
        }

        @Override
        public void ikeSaDeleted(boolean byPeer) {
            String message = byPeer ? "the gateway deleted the IKE SA" : "the IKE SA was deleted";
            deliver(a, null, () -> onSessionEnded(a, null, message), () -> onSuccessorEnded(a, message));
        }

        @Override
        public void handedOver(IkeSaRecord record) {
            deliver(a, record, () -> onHandedOver(a, record), () -> {
                record.close(); // not in use yet: the new engine need not resume it
                onSuccessorEnded(a, "the IKE engine was replaced while the new IKE SA was being made");
            });
        }

        @Override
        public void failed(FailureReason reason, String message) {
            deliver(a, null, () -> onSessionEnded(a, reason, message), () -> onSuccessorEnded(a, message));
        }
    }

    // ---- uplink changes (policy thread)

    /** The host's networks now: an established tunnel follows the path the kernel takes to the gateway. */
    void networkChanged(NetworkState state) {
        network = state;
        if (networkTimer.isPending()) { // a first attempt waited for them (awaitNetworks)
            networkTimer.cancel();
            startAttempt();
            return;
        }
        followUplink();
    }

    /**
     * Compares the path the IKE SA uses with the one the kernel would take to the gateway now, or the profile's
     * {@code uplinks} prefer ({@link UplinkChoice}); when they differ, asks the session to move (MOBIKE). When the
     * path in use is gone, DEGRADED until the gateway confirmed (it sends ESP to the old address until then); when it
     * still works, CONNECTED throughout. Without any path, DEGRADED until one appears.
     */
    private void followUplink() {
        Attempt a = attempt;
        IkeView ike = status.ike();
        if (network == null || a == null || a.plumbing == null || ike == null || !established() || successor != null) {
            return; // a new IKE SA being made follows the kernel's route; its take-over checks again
        }
        List<InetAddress> gateways = new ArrayList<>();
        gateways.add(a.gateway.getAddress()); // the profile's address first: back to it whenever it is reachable
        announcedAddresses.stream().filter(g -> !gateways.contains(g)).forEach(gateways::add);
        Set<IpPrefix> held = a.plumbing.routesGateway()
                ? gateways.stream().map(IpPrefix::host).collect(java.util.stream.Collectors.toSet()) : Set.of();
        Optional<NetworkPath> choice = UplinkChoice.choose(network, gateways, a.plumbing.uplinks(),
                Set.of(a.plumbing.interfaceName()), held);
        InetSocketAddress local = ike.local();
        InetSocketAddress remote = ike.gateway();
        if (choice.isEmpty()) {
            if (!noUplink) {
                noUplink = true;
                markPathLost();
                ctx.log().warn(name + ": no uplink reaches the gateway " + remote.getAddress().getHostAddress()
                        + "; waiting for one");
                degrade(VpnManager.REASON_NO_UPLINK, "no uplink reaches the gateway; the tunnel moves when one does");
            }
            return;
        }
        NetworkPath path = choice.get();
        routeGatewayOutside(a, path);
        if (path.local().equals(local.getAddress()) && path.remote().equals(remote.getAddress())) {
            if (status.uplink(path.uplink())) {
                publish();
            }
            if (noUplink && moving == null) {
                noUplink = false; // the same path came back
                pathLostAt = null;
                transition(ConnectionState.CONNECTED, VpnManager.REASON_TRAFFIC_FLOWS, "the uplink " + path + " is back");
            }
            return;
        }
        if (path.sameAddresses(moving)) {
            return; // asked already
        }
        noUplink = false;
        moving = path;
        String from = local.getAddress().getHostAddress() + " -> " + remote.getAddress().getHostAddress();
        if (state == ConnectionState.CONNECTED && UplinkChoice.reaches(network, local.getAddress(), remote.getAddress(),
                Set.of(a.plumbing.interfaceName()), held)) {
            // a better path (the profile's uplinks, or the kernel's route back on a link that returned) while the one
            // in use still works: the gateway keeps sending there until it confirmed, so the traffic flows meanwhile
            ctx.log().info(name + ": the path to the gateway is now " + path + "; moving the IKE SA from " + from
                    + ", which carries the traffic until the gateway confirmed");
            a.session.moveTo(path.local(), path.remote());
            return;
        }
        markPathLost();
        ctx.log().info(name + ": the path to the gateway is now " + path + " (was " + from + "); moving the IKE SA");
        degrade(VpnManager.REASON_UPLINK_CHANGED, "moving from " + from + " to " + path);
        a.session.moveTo(path.local(), path.remote());
    }

    /**
     * With a full tunnel, IKE and ESP reach the gateway through its host route, which the kernel dropped with the
     * link it went over (the tunnel's own routes would then capture them): it follows the path chosen now, before
     * the IKE SA moves there, and after a path came back. Set once per path, not per network event.
     */
    private void routeGatewayOutside(Attempt a, NetworkPath path) {
        if (path.equals(routedPath) && !noUplink) {
            return;
        }
        try {
            if (a.plumbing.routeGateway(path)) {
                routedPath = path;
            }
        } catch (VnicException e) {
            routedPath = null;
            ctx.log().warn(name + ": the gateway's route outside the tunnel does not follow " + path + ": "
                    + e.getMessage());
        }
    }

    private void markPathLost() {
        if (pathLostAt == null) {
            pathLostAt = ctx.clock().instant();
        }
    }

    /** The gateway confirmed our new addresses, or moved itself: ESP goes there from now on, same SAs. */
    private void onIkeSaMoved(Attempt a, InetSocketAddress local, InetSocketAddress remote, NatState nat) {
        IkeView before = status.ike();
        if (a != attempt || before == null) {
            return;
        }
        IkeView ike = before.moved(local, remote, nat);
        Duration outage = pathLostAt == null ? Duration.ZERO : Duration.between(pathLostAt, ctx.clock().instant());
        status.moved(ike, outage);
        if (moving != null && moving.local().equals(local.getAddress())) {
            status.uplink(moving.uplink());
        }
        if (a.plumbing != null && !remote.equals(before.gateway())) {
            a.plumbing.updateGateway(remote);
        }
        if (a.plumbing != null) {
            a.plumbing.followNat(nat); // fresh NAT detection on the new path (RFC 4555 §3.5)
        }
        if (gatewayAddresses.add(remote.getAddress())) {
            syncKillSwitch(null); // a gateway that moved itself to an address it had not announced
        }
        moving = null;
        noUplink = false;
        pathLostAt = null;
        String message = "moved from " + before.local() + " -> " + before.gateway() + " to " + local + " -> " + remote
                + (ike.natDetected() ? " (NAT)" : "") + ", " + outage.toMillis() + " ms after the path changed";
        ctx.log().info(name + ": " + message);
        ctx.events().moved(name, before.local(), local, before.gateway(), remote, outage);
        if (state == ConnectionState.DEGRADED && stallRepair != null && stallRepair.isOpen()) {
            publish(); // a stall is still to be shown gone by packets
        } else {
            transition(ConnectionState.CONNECTED, VpnManager.REASON_MOVED, message);
        }
        followUplink(); // the network may have changed again meanwhile
    }

    /**
     * The gateway's other addresses, authenticated in IKE_AUTH (RFC 4555 §3.4): a move may use them, so the kill
     * switch lets IKE and ESP reach them from now on, before any move needs it.
     */
    private void onGatewayAddresses(List<InetAddress> additional) {
        announcedAddresses = List.copyOf(additional);
        if (gatewayAddresses.addAll(additional)) {
            syncKillSwitch(null);
        }
    }

    /**
     * The IKE SA cannot move (no MOBIKE): a new one over the new path at once, made before the old one is deleted
     * ({@link MakeBeforeBreak}); the tunnel, its routes and the kill switch stay meanwhile.
     */
    private void onMoveImpossible(Attempt a, String reason) {
        if (a != attempt) {
            return;
        }
        NetworkPath path = moving;
        moving = null;
        String message = "the IKE SA cannot move (" + reason + "); a new IKE SA over " + path
                + ", made before the old one is deleted";
        ctx.log().warn(name + ": " + message);
        if (pathLostAt != null) { // else the path in use still works and carries the traffic meanwhile
            degrade(VpnManager.REASON_UPLINK_CHANGED, message);
        }
        startSuccessor(MakeBeforeBreak.Cause.PATH_CHANGED);
    }

    // ---- make-before-break (policy thread)

    /** Starts the IKE SA that replaces the current one while the current tunnel goes on ({@link MakeBeforeBreak}). */
    private void startSuccessor(MakeBeforeBreak.Cause cause) {
        Attempt old = attempt;
        IkeEngine engine = ctx.services().ikeEngine();
        if (successor != null || old == null || old.plumbing == null || old.dataPath == null || engine == null
                || profile == null) {
            return;
        }
        GatewayAddress gw = profile.remoteAddrs().get(gatewayIndex());
        IkeTransport transport;
        try {
            transport = old.dataPath.openIkeTransport(old.gateway);
        } catch (IOException | RuntimeException e) {
            successorFailed(cause, "cannot open an IKE socket toward " + old.gateway + ": " + e.getMessage());
            return;
        }
        Attempt s = new Attempt(ctx.clock().instant(), old.gateway, ctx.scheduler());
        s.dataPath = old.dataPath;
        successor = s;
        successorCause = cause;
        try {
            s.session = engine.start(MakeBeforeBreak.successorConfig(profile.ikeFor(gw), old.plumbing.virtualIps()),
                    transport, new SessionListener(s));
        } catch (RuntimeException e) {
            successor = null;
            transport.close();
            successorFailed(cause, "the IKE engine did not start: " + e);
            return;
        }
        ctx.log().info(name + ": IKE_SA_INIT toward " + old.gateway + " for a new IKE SA (" + cause
                + "); the current tunnel carries the traffic until it is up");
        publish();
    }

    /** The successor's IKE SA is authenticated; it takes over with its first Child SA. */
    private void onSuccessorIkeSa(Attempt s, IkeSaInfo info) {
        try (info) {
            s.establishedIke = IkeView.of(info, ctx.clock().instant());
            ctx.log().info(name + ": new IKE SA established " + s.establishedIke.algorithms() + " "
                    + s.establishedIke.local() + " -> " + s.establishedIke.gateway());
        }
    }

    /**
     * The successor's first Child SA is up: it replaces the old Child SA in the same tunnel (new inbound first, then
     * outbound, as a rekey), the successor becomes the current attempt, and only then is the old IKE SA deleted.
     */
    private void takeOver(Attempt s, ChildSaInfo first) {
        Attempt old = attempt;
        MakeBeforeBreak.Cause cause = successorCause;
        successor = null;
        successorCause = null;
        if (old == null || old.plumbing == null || old.plumbing.isClosed() || !old.plumbing.hasChildren()
                || s.establishedIke == null) {
            ctx.log().warn(name + ": no tunnel left for the new IKE SA to take over; it is built on it");
            if (old != null) {
                attempt = null;
                closePlumbing(old);
                endReplaced(old);
            }
            attempt = s;
            status.attemptStarted();
            if (s.establishedIke != null) {
                status.ikeEstablished(s.establishedIke);
            }
            onGatewayAddresses(s.announced);
            onChildSaEstablished(s, first);
            return;
        }
        Instant now = ctx.clock().instant();
        TunnelPlumbing tunnel = old.plumbing;
        List<ChildSaStatus> oldChildren = tunnel.childStatuses();
        int replacedSpiIn = oldChildren.get(0).spiIn();
        InetSocketAddress espGateway = first.remoteEndpoint();
        List<InetAddress> vipsBefore = tunnel.virtualIps();
        try {
            tunnel.takeOver(replacedSpiIn, first, now);
            for (ChildSaStatus other : oldChildren.subList(1, oldChildren.size())) {
                tunnel.childDeleted(other.spiIn()); // the new IKE SA makes its further Child SAs anew
            }
        } catch (IOException | RuntimeException e) {
            attempt = s;
            s.plumbing = tunnel;
            s.nics = old.nics;
            old.plumbing = null;
            endReplaced(old);
            abort(s, FailureReason.INTERNAL, "cannot install the new IKE SA's Child SA: " + e.getMessage());
            return;
        }
        tunnel.updateGateway(espGateway);
        old.healthTimer.cancel();
        s.plumbing = tunnel;
        s.nics = old.nics;
        old.plumbing = null;
        attempt = s;
        onGatewayAddresses(s.announced);
        IkeView before = status.ike();
        status.ikeEstablished(s.establishedIke);
        endReplaced(old);
        retiredTimer.schedule(ctx.settings().childlessGrace(), ifCurrent(s, () -> {
            try {
                tunnel.childDeleted(replacedSpiIn); // packets in flight on the old inbound SA have arrived by now
            } catch (IOException | RuntimeException e) {
                ctx.log().warn(name + ": removing the replaced inbound SA: " + e.getMessage());
            }
        }));
        syncKillSwitch(null);
        watchHealth(s);
        scheduleReauth(s);
        String message = String.format("a new IKE SA took the tunnel over (%s) in %d ms; Child SA %08x replaced by"
                + " %08x; the old IKE SA is deleted", cause == MakeBeforeBreak.Cause.REAUTHENTICATION ? "reauthentication"
                : "the path changed", Duration.between(s.started, now).toMillis(), replacedSpiIn,
                tunnel.childStatuses().get(0).spiIn());
        if (!vipsBefore.equals(tunnel.virtualIps())) {
            message += "; the gateway gave the virtual IP " + tunnel.virtualIps() + " instead of " + vipsBefore
                    + " (same device)";
        }
        ctx.log().info(name + ": " + message);
        if (before != null && !before.local().getAddress().equals(s.establishedIke.local().getAddress())) {
            Duration outage = pathLostAt == null ? Duration.ZERO : Duration.between(pathLostAt, now);
            ctx.events().moved(name, before.local(), s.establishedIke.local(), before.gateway(),
                    s.establishedIke.gateway(), outage);
        }
        pathLostAt = null;
        noUplink = false;
        if (state == ConnectionState.DEGRADED && stallRepair != null && stallRepair.isOpen()) {
            publish();
        } else {
            transition(ConnectionState.CONNECTED, VpnManager.REASON_ESTABLISHED, message);
        }
        followUplink(); // the network may have changed again meanwhile
    }

    /** Deletes a replaced IKE SA at the gateway (unless it ended already); its later events are stale. */
    private static void endReplaced(Attempt old) {
        if (!old.sessionEnded) {
            closeSession(old);
        } else if (old.handedOver != null) {
            old.handedOver.close();
            old.handedOver = null;
        }
    }

    /** The successor did not come up. */
    private void onSuccessorEnded(Attempt s, String message) {
        successor = null;
        MakeBeforeBreak.Cause cause = successorCause;
        successorCause = null;
        closeSession(s);
        successorFailed(cause, message);
    }

    /**
     * No new IKE SA: after a path change the old one cannot carry anything, so the connection starts again; a
     * reauthentication is tried again later while the old IKE SA still works.
     */
    private void successorFailed(MakeBeforeBreak.Cause cause, String message) {
        Attempt old = attempt;
        if (old == null) {
            return;
        }
        if (cause == MakeBeforeBreak.Cause.REAUTHENTICATION && !old.sessionEnded) {
            Duration retry = ctx.settings().backoffMax();
            ctx.log().warn(name + ": reauthentication failed (" + message + "); the IKE SA goes on, next try in "
                    + seconds(retry));
            applyDeletedMeanwhile(old);
            reauthTimer.schedule(retry, ifCurrent(old, () -> startSuccessor(MakeBeforeBreak.Cause.REAUTHENTICATION)));
            publish();
            return;
        }
        status.lostForReconnect();
        abort(old, FailureReason.UNREACHABLE, "no new IKE SA over the new path: " + message);
    }

    /** Child SAs the gateway deleted while a successor was being made go now that there is none. */
    private void applyDeletedMeanwhile(Attempt a) {
        List<Integer> deleted = List.copyOf(a.deletedMeanwhile);
        a.deletedMeanwhile.clear();
        for (int spiIn : deleted) {
            onChildSaDeleted(a, spiIn);
        }
    }

    /** Drops a successor being made (the connection goes down or starts again). */
    private void dropSuccessor() {
        Attempt s = successor;
        successor = null;
        successorCause = null;
        if (s != null) {
            closeSession(s);
        }
    }

    /** Schedules the reauthentication of the tunnel's IKE SA after the profile's {@code reauth_time}, if any. */
    private void scheduleReauth(Attempt a) {
        Duration every = profile == null ? Duration.ZERO : profile.reauthTime();
        if (every.isZero()) {
            reauthTimer.cancel();
            return;
        }
        reauthTimer.schedule(every, ifCurrent(a, () -> {
            ctx.log().info(name + ": reauth_time (" + seconds(every) + ") ran out; reauthenticating make-before-break");
            startSuccessor(MakeBeforeBreak.Cause.REAUTHENTICATION);
        }));
    }

    // ---- tunnel health (policy thread)

    /** Checks the new tunnel periodically from now on: Child SA liveness within dpd_delay, unless switched off. */
    private void watchHealth(Attempt a) {
        Duration window = profile.ike().dpdDelay();
        if (ctx.settings().childSaLiveness() && !window.isZero()) {
            a.liveness = new ChildSaLiveness(window);
            if (stallRepair == null) {
                stallRepair = new StallRepair(window, MAX_STALL_HOLD_OFF.compareTo(window) < 0 ? window : MAX_STALL_HOLD_OFF);
            }
        }
        scheduleHealthCheck(a);
    }

    private void scheduleHealthCheck(Attempt a) {
        Duration every = a.liveness == null ? HEALTH_CHECK : a.liveness.sampleInterval();
        a.healthTimer.schedule(every, ifCurrent(a, () -> checkHealth(a)));
    }

    /**
     * CONNECTED only while the tunnel can carry traffic: without any Child SA it is DEGRADED (the childless
     * timer rebuilds it); with Child SA liveness, a stall is DEGRADED and repaired, and packets that arrive
     * again make it CONNECTED.
     */
    private void checkHealth(Attempt a) {
        if (a.plumbing == null || a.plumbing.isClosed() || !established()) {
            return;
        }
        if (!a.plumbing.hasChildren()) {
            // checked here rather than at the Child SA's DELETE: when the gateway deletes the whole IKE SA, its
            // Child SAs go first and the end of the session follows at once
            if (state == ConnectionState.CONNECTED) {
                degrade(VpnManager.REASON_NO_CHILD_SA, "no Child SA is installed (the gateway deleted the last one);"
                        + " a new IKE SA within " + seconds(ctx.settings().childlessGrace()) + " unless one comes back");
            }
        } else if (a.liveness != null && a.plumbing.tunnel() != null && successor == null) {
            DataPathCounters counters;
            try {
                counters = a.plumbing.tunnel().counters();
            } catch (RuntimeException e) {
                counters = null; // the tunnel is closing under us: the next check sees what follows
            }
            if (counters != null) {
                trafficObserved(a, a.liveness.observe(ctx.clock().instant(), counters));
            }
        }
        if (a == attempt && a.plumbing != null && !a.plumbing.isClosed()) {
            scheduleHealthCheck(a);
        }
    }

    private void trafficObserved(Attempt a, ChildSaLiveness.Observation o) {
        if (o.stall() != null) {
            stalled(a, o.stall());
        } else if (o.inboundRose() && stallRepair.isOpen()) {
            stallRepair.recovered();
            ctx.log().info(name + ": packets arrive on the Child SA again");
            transition(ConnectionState.CONNECTED, VpnManager.REASON_TRAFFIC_FLOWS, "packets arrive on the Child SA again");
        }
    }

    /** Packets on a Child SA get no answer while the IKE SA answers: say so, and take the next repair step. */
    private void stalled(Attempt a, ChildSaLiveness.Stall stall) {
        ChildSaStatus child = a.plumbing.child(stall.childSaId());
        String what = String.format("%d packets out on Child SA %08x_i %08x_o and none in for %s", stall.packetsOut(),
                child == null ? 0 : child.spiIn(), child == null ? 0 : child.spiOut(), seconds(stall.silentFor()));
        a.liveness.restart(); // the next verdict comes one window after this one, whatever is done now
        StallRepair.Step step = stallRepair.stalled(ctx.clock().instant());
        if (step == null) {
            String next = "next repair in " + seconds(Duration.between(ctx.clock().instant(), stallRepair.notBefore()));
            ctx.log().warn(name + ": " + what + "; " + next);
            degrade(VpnManager.REASON_TRAFFIC_STALLED, what + "; new SAs did not help, " + next);
        } else if (step == StallRepair.Step.NEW_CHILD_SA && child != null) {
            ctx.log().warn(name + ": " + what + " while the IKE SA answers; rekeying the Child SA");
            degrade(VpnManager.REASON_TRAFFIC_STALLED, what + "; a new Child SA replaces it");
            if (a.session != null) {
                a.session.rekeyChildSa(child.spiIn());
            }
        } else {
            String message = what + (step == StallRepair.Step.NEW_CHILD_SA ? "" : ", also after a new Child SA")
                    + "; reconnecting with a new IKE SA";
            degrade(VpnManager.REASON_TRAFFIC_STALLED, message);
            abort(a, FailureReason.TRAFFIC_STALLED, message);
        }
    }

    /** DEGRADED for {@code reason}; an event when the state changes, an updated status when it does not. */
    private void degrade(String reason, String message) {
        status.degraded(message, state == ConnectionState.CONNECTED);
        if (state == ConnectionState.DEGRADED) {
            publish();
        } else {
            transition(ConnectionState.DEGRADED, reason, message);
        }
    }

    /** The tunnel is established: CONNECTED, or DEGRADED (up, but its traffic does not flow). */
    private boolean established() {
        return state == ConnectionState.CONNECTED || state == ConnectionState.DEGRADED;
    }

    // ---- state and publication

    private void transition(ConnectionState next, String reason, String message) {
        ConnectionState previous = state;
        state = next;
        status.stateChanged(next);
        publish();
        if (previous != next) {
            ctx.log().info(name + ": " + previous + " -> " + next + " (" + reason + (message == null ? "" : ": " + message) + ")");
            ctx.events().stateChanged(name, previous, next, reason, message);
        }
    }

    private void setWanted(boolean w) {
        if (wanted != w) {
            wanted = w;
            ctx.wanted().set(name, w);
        }
    }

    private void cancelRetry() {
        retryTimer.cancel();
        status.noNextAttempt();
    }

    private void cancelTimers() {
        cancelRetry();
        reauthTimer.cancel();
        retiredTimer.cancel();
        childlessTimer.cancel();
        disconnectTimer.cancel();
        networkTimer.cancel();
    }

    /** Publishes the current state for readers on other threads. */
    private void publish() {
        Attempt a = attempt;
        view = status.render(name, state, wanted, waitingFor, a == null ? null : a.gateway, a == null ? null : a.plumbing,
                profile == null ? Duration.ZERO : profile.ike().ikeRekeyTime(),
                killSwitchApplied == null ? null : ctx.services().killSwitch(),
                killSwitchApplied != null && killSwitchApplied.killSwitch());
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 10_000 ? String.format("%.1f s", d.toMillis() / 1000.0) : d.toSeconds() + " s";
    }
}
