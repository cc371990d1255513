package org.mobilevpn.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.net.NetworkState;
import org.mobilevpn.api.policy.ConnectionHandOver;
import org.mobilevpn.api.policy.ConnectionRecord;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.ProfileEvent;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.vnic.KillSwitch;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.mobilevpn.api.vnic.VnicException;

/**
 * The connections by name: one {@link Connection} per valid profile and per connection still wanted
 * without one. Turns profile events and operator requests into the connections' transitions and keeps
 * the wanted set persisted.
 *
 * <p>Mutating methods run on the policy thread; {@link #list()}, {@link #status(String)} and
 * {@link #statusAll()} may be called from any thread (they read published views only).
 */
final class ConnectionManager {
    private final ConnectionContext ctx;
    private final PersistedConnections persisted;
    private final ConcurrentSkipListMap<String, Connection> connections = new ConcurrentSkipListMap<>();
    /** The host's networks as last heard (policy thread); null until the watcher spoke. */
    private NetworkState network;

    /**
     * @param ctx       the context for every connection; its {@link ConnectionContext#wanted()} is replaced by
     *                  the persisted set
     * @param persisted the wanted set
     */
    ConnectionManager(ConnectionContext ctx, PersistedConnections persisted) {
        this.ctx = new ConnectionContext(ctx.services(), ctx.events(), ctx.log(), ctx.scheduler(), ctx.clock(),
                ctx.random(), ctx.settings(), persisted::set);
        this.persisted = persisted;
    }

    /** Marks the connections wanted before the last shutdown; each comes up as soon as its profile is there. */
    void start() {
        for (String name : persisted.names()) {
            connection(name).restoreWanted();
        }
        if (!persisted.names().isEmpty()) {
            ctx.log().info("wanted connections restored: " + persisted.names());
        }
    }

    /** A change from the profile registry. */
    void profileChanged(ProfileEvent event) {
        String name = event.name();
        switch (event.kind()) {
            case ADDED:
            case UPDATED:
                connection(name).profileArrived(event.profile());
                break;
            case REMOVED: {
                Connection c = connections.get(name);
                if (c != null) {
                    c.profileRemoved();
                    forgetIfIdle(c);
                }
                break;
            }
            case INVALID: {
                Connection c = connections.get(name);
                if (c != null) {
                    c.profileInvalid(event.problems());
                } else {
                    ctx.log().warn(name + ": invalid profile: " + describe(event.problems()));
                }
                break;
            }
            default:
                break;
        }
    }

    /**
     * @param problems the registry's current problems of a name, for the message when it has no valid profile
     * @throws IllegalArgumentException when no valid profile has this name
     */
    ConnectionStatus connect(String name, Function<String, List<ProfileProblem>> problems) {
        Connection c = connections.get(name);
        if (c == null || c.profile() == null) {
            List<ProfileProblem> p = problems.apply(name);
            throw new IllegalArgumentException(p.isEmpty() ? "no profile named '" + name + "'"
                    : "profile '" + name + "' is invalid: " + describe(p));
        }
        c.up(VpnManager.REASON_REQUESTED);
        return c.view().render(ctx.clock().instant());
    }

    /** @throws IllegalArgumentException when no connection has this name */
    ConnectionStatus disconnect(String name) {
        Connection c = connections.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no connection named '" + name + "'");
        }
        c.down(VpnManager.REASON_REQUESTED);
        ConnectionStatus status = c.view().render(ctx.clock().instant());
        forgetIfIdle(c);
        return status;
    }

    /**
     * Rekeys the IKE SA ({@code child == false}) or every Child SA of a connection now.
     *
     * @throws IllegalArgumentException when no connection has this name
     * @throws IllegalStateException when it is not CONNECTED
     */
    ConnectionStatus rekey(String name, boolean child) {
        Connection c = connections.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no connection named '" + name + "'");
        }
        if (child) {
            c.rekeyChildSas();
        } else {
            c.rekeyIkeSa();
        }
        return c.view().render(ctx.clock().instant());
    }

    /** A data path service goes away: connections on it let go of it while it still works. */
    void dataPathLeaving(DataPath leaving) {
        connections.values().forEach(c -> c.dataPathLeaving(leaving));
    }

    /** A virtual NIC factory goes away: connections whose NIC it opened start again. */
    void nicFactoryLeaving(VirtualNicFactory leaving) {
        connections.values().forEach(c -> c.nicFactoryLeaving(leaving));
    }

    /** The host's networks now: each connection follows the uplink to its gateway. */
    void networkChanged(NetworkState state) {
        network = state;
        connections.values().forEach(c -> c.networkChanged(state));
    }

    /** A service came: connections waiting to retry try now. */
    void servicesChanged() {
        connections.values().forEach(Connection::servicesChanged);
    }

    /**
     * The policy bundle is being updated: each established connection starts handing itself to {@code store}
     * for the next policy manager ({@link Connection#handOver}).
     *
     * @return how many hand-overs are under way
     */
    int handOver(Duration grace, ConnectionHandOver store) {
        int n = 0;
        for (Connection c : connections.values()) {
            if (c.handOver(grace, store)) {
                n++;
            }
        }
        return n;
    }

    /** Whether a hand-over started by {@link #handOver} is still waiting for its IKE session. */
    boolean handingOver() {
        return connections.values().stream().anyMatch(Connection::handingOver);
    }

    /** Connections the previous policy manager handed over: each wanted one goes on with its own. */
    void adopt(List<ConnectionRecord> records) {
        for (ConnectionRecord r : records) {
            Connection c = connections.get(r.name());
            if (c == null) {
                ctx.log().warn(r.name() + ": handed over by the previous policy manager but not wanted; given up");
                r.close();
            } else {
                c.adopt(r);
            }
        }
    }

    /**
     * Everything down (the wanted set stays on disk).
     *
     * @param releaseKillSwitches whether the kill switch rules go too (a stop configured to say so); otherwise
     *                            they hold while the runtime is stopped
     * @return the IKE sessions whose DELETEs are on their way
     */
    List<IkeSession> shutdown(boolean releaseKillSwitches) {
        return shutdownWhere(c -> c.shutdown(releaseKillSwitches));
    }

    /** The framework stops and this data path goes first: the connections on it shut down while it works. */
    List<IkeSession> shutdownOn(DataPath leaving, boolean releaseKillSwitches) {
        return shutdownWhere(c -> c.shutdownBefore(leaving, releaseKillSwitches));
    }

    /**
     * Kill switch rules of connections nobody wants (left by an earlier run whose wanted set is gone, or by
     * a connection taken down while the runtime could not remove them) are removed; those of wanted
     * connections stay until their profile says otherwise.
     */
    void reconcileKillSwitches(KillSwitch killSwitch) {
        for (String name : killSwitch.installed()) {
            Connection c = connections.get(name);
            if (c == null || !c.wanted()) {
                try {
                    killSwitch.remove(name, "the connection is not wanted (any more)");
                } catch (VnicException | RuntimeException e) {
                    ctx.log().error(name + ": stale kill switch rules could not be removed: " + e.getMessage());
                }
            }
        }
    }

    private List<IkeSession> shutdownWhere(Function<Connection, IkeSession> shutdown) {
        List<IkeSession> closing = new ArrayList<>();
        for (Connection c : connections.values()) {
            try {
                IkeSession s = shutdown.apply(c);
                if (s != null) {
                    closing.add(s);
                }
            } catch (RuntimeException e) {
                ctx.log().error(c.name() + ": shutdown failed: " + e);
            }
        }
        return closing;
    }

    // ---- readers (any thread)

    List<String> list() {
        return new ArrayList<>(connections.keySet());
    }

    Optional<ConnectionStatus> status(String name) {
        Connection c = connections.get(name);
        return c == null ? Optional.empty() : Optional.of(c.view().render(ctx.clock().instant()));
    }

    List<ConnectionStatus> statusAll() {
        List<ConnectionStatus> out = new ArrayList<>();
        connections.values().forEach(c -> out.add(c.view().render(ctx.clock().instant())));
        return out;
    }

    private Connection connection(String name) {
        return connections.computeIfAbsent(name, n -> {
            Connection c = new Connection(n, ctx);
            if (network != null) {
                c.networkChanged(network);
            }
            return c;
        });
    }

    /** A connection with neither a profile nor the wish to be up has nothing left to show. */
    private void forgetIfIdle(Connection c) {
        if (c.profile() == null && !c.wanted() && c.state() == ConnectionState.DISABLED) {
            connections.remove(c.name(), c);
        }
    }

    private static String describe(List<ProfileProblem> problems) {
        StringBuilder s = new StringBuilder();
        for (ProfileProblem p : problems) {
            s.append(s.length() == 0 ? "" : "; ").append(p.key()).append(": ").append(p.message());
        }
        return s.toString();
    }
}
