package org.mobilevpn.vnic;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mobilevpn.api.vnic.PreferredUplinkRoute;
import org.mobilevpn.api.vnic.VnicException;
import org.osgi.service.log.Logger;

/**
 * The gateway host routes a factory sets before a connection has a NIC ({@link PreferredUplinkRoute}), so that a
 * profile's {@code uplinks} holds from the first IKE_SA_INIT (RFC 7296 §2.23: the IKE SA keeps the addresses its
 * exchange came from, through whatever NAT sits on that uplink, else a MOBIKE update, RFC 4555 §3.5, is needed right
 * after connecting). One route per gateway address, set with {@code ip route replace} as the NIC's own host route is
 * (it takes the place of whatever route the table had to that very host).
 *
 * <p>Each route is journaled in a journal of its own ({@code pin-ADDRESS.journal}) before it is set, so the
 * {@link StaleStateCleaner} of a later start removes it after a crash. A NIC that routes the same gateway
 * ({@link LinuxVirtualNic#routeGateway}) {@linkplain #takenOver takes it over}: the NIC journals and removes it from
 * then on, and the handle only forgets it. The factory's deactivation removes what no NIC took.
 */
final class PreferredUplinkRoutes {
    private final VnicSettings settings;
    private final CommandRunner runner;
    private final IpCommands ip;
    private final Logger log;
    private final Map<InetAddress, Route> routes = new ConcurrentHashMap<>();

    PreferredUplinkRoutes(VnicSettings settings, CommandRunner runner, Logger log) {
        this.settings = settings;
        this.runner = runner;
        this.ip = new IpCommands(settings.ipExecutable());
        this.log = log;
    }

    /** Sets the route; an earlier one of ours to that gateway is replaced (its handle no longer removes anything). */
    synchronized PreferredUplinkRoute route(InetAddress gateway, String uplink, InetAddress nextHop)
            throws VnicException {
        List<String> spec = GatewayRoute.onUplink(gateway, uplink, nextHop);
        boolean v6 = gateway.getHostAddress().indexOf(':') >= 0;
        VnicJournal journal = new VnicJournal(settings.stateDir(), "pin-" + gateway.getHostAddress());
        VnicJournal.Entry entry = new VnicJournal.Entry(v6 ? "route6" : "route4", spec);
        try {
            journal.delete();
            journal.add(entry);
        } catch (IOException e) {
            throw new VnicException("cannot write journal " + journal.file() + ": " + e.getMessage(), e);
        }
        CommandRunner.Result r = run(ip.replaceRouteSpec(spec, v6));
        if (!r.ok()) {
            deleteQuietly(journal);
            throw new VnicException("routing the gateway out of the preferred uplink failed: "
                    + String.join(" ", ip.replaceRouteSpec(spec, v6)) + ": " + r.output());
        }
        Route route = new Route(gateway, spec, v6, journal);
        routes.put(gateway, route);
        log.info("the route to gateway " + gateway.getHostAddress() + " is " + String.join(" ", spec)
                + " from the first IKE message on (the profile's uplinks)");
        return route;
    }

    /** A NIC routes {@code gateway} now: our route to it is the NIC's (it set its own spec with replace). */
    synchronized void takenOver(InetAddress gateway) {
        Route r = routes.remove(gateway);
        if (r != null) {
            r.forget();
        }
    }

    /** Removes every route no NIC took over (the factory goes). */
    void closeAll() {
        for (Route r : List.copyOf(routes.values())) {
            r.close();
        }
    }

    private CommandRunner.Result run(List<String> command) throws VnicException {
        try {
            return runner.run(command);
        } catch (IOException e) {
            throw new VnicException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private void deleteQuietly(VnicJournal journal) {
        try {
            journal.delete();
        } catch (IOException e) {
            log.warn("deleting " + journal.file() + ": " + e);
        }
    }

    /** One route and its journal; owned by the handle until a NIC takes it over. */
    private final class Route implements PreferredUplinkRoute {
        private final InetAddress gateway;
        private final List<String> spec;
        private final boolean ipv6;
        private final VnicJournal journal;
        /** Set once: removed, taken over by a NIC, or replaced by a later route to the same gateway. */
        private boolean done;

        Route(InetAddress gateway, List<String> spec, boolean ipv6, VnicJournal journal) {
            this.gateway = gateway;
            this.spec = spec;
            this.ipv6 = ipv6;
            this.journal = journal;
        }

        /** The NIC owns the kernel's route now (and journals it): only our journal goes. */
        synchronized void forget() {
            if (!done) {
                done = true;
                deleteQuietly(journal);
            }
        }

        @Override
        public void close() {
            synchronized (PreferredUplinkRoutes.this) {
                synchronized (this) {
                    if (done) {
                        return;
                    }
                    done = true;
                }
                if (!routes.remove(gateway, this)) {
                    return; // a later route to the gateway replaced ours: it is that one's to remove
                }
                try {
                    CommandRunner.Result r = runner.run(ip.deleteRouteSpec(spec, ipv6));
                    if (!r.ok()) {
                        log.warn(String.join(" ", ip.deleteRouteSpec(spec, ipv6)) + ": " + r.output());
                    }
                } catch (IOException e) {
                    log.warn(String.join(" ", ip.deleteRouteSpec(spec, ipv6)) + ": " + e);
                }
                deleteQuietly(journal);
                log.info("removed the route to gateway " + gateway.getHostAddress() + " (" + String.join(" ", spec)
                        + "): no tunnel took it over");
            }
        }
    }
}
