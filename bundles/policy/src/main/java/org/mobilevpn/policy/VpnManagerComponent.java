package org.mobilevpn.policy;

import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.ike.IkeEngine;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.net.NetworkListener;
import org.mobilevpn.api.net.NetworkState;
import org.mobilevpn.api.policy.ConnectionHandOver;
import org.mobilevpn.api.policy.ConnectionRecord;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.ProfileEvent;
import org.mobilevpn.api.profile.ProfileListener;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.vnic.KillSwitch;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Policy Manager service. Hears about profiles as a {@link ProfileListener} (the registry replays
 * every valid profile on registration, which is when autostart and persisted connections come up), runs
 * all connections on one policy thread, and keeps the set of wanted connections in the bundle's data
 * area so a restart brings them back.
 *
 * <p>The engine, data path, NIC factory, registry and EventAdmin are optional dynamic references, so
 * the manager is satisfied in any runtime and an update of one of those bundles does not stop it. A
 * connection that lacks a service to start is not failed: it waits, its status names the service, and
 * it starts when the service arrives. A data path update keeps the IKE SA and Child SAs (the tunnels
 * leave the old data path and continue on its successor), and so does an ike update (the sessions are
 * handed over as records and resumed on the new engine). An update of this bundle itself hands the
 * established connections to its successor through the {@link ConnectionHandOver} service.
 */
@Component(service = {VpnManager.class, ProfileListener.class, NetworkListener.class}, immediate = true, configurationPid = VpnManagerComponent.PID)
@Designate(ocd = VpnManagerComponent.Config.class)
public final class VpnManagerComponent implements VpnManager, ProfileListener, NetworkListener {
    static final String PID = "org.mobilevpn.policy";
    static final String WANTED_FILE = "wanted-connections";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How long stopping waits for the gateways to answer our DELETEs (as the IKE engine does). */
    private static final Duration DELETE_GRACE = Duration.ofSeconds(2);
    /** How long an update of this bundle waits for each IKE session to get between exchanges to hand it over. */
    private static final Duration HAND_OVER_GRACE = Duration.ofSeconds(2);

    @ObjectClassDefinition(name = "mobilevpn policy manager", description = "Connections: reconnect backoff, tunnel settings")
    public @interface Config {
        @AttributeDefinition(name = "Path MTU", description = "MTU toward the gateway; the virtual NIC's MTU leaves room for ESP")
        int path_mtu() default 1500;

        @AttributeDefinition(name = "TUN offload", description = "Let the kernel hand TCP super-packets to the virtual NIC")
        boolean tun_offload() default true;

        @AttributeDefinition(name = "First reconnect delay (s)")
        int reconnect_initial() default 1;

        @AttributeDefinition(name = "Longest reconnect delay (s)")
        int reconnect_max() default 120;

        @AttributeDefinition(name = "Child SA liveness", description = "Report a connection DEGRADED when packets it"
                + " sends on a Child SA get none back for dpd_delay while the IKE SA answers, and repair it (a new Child"
                + " SA, then a new IKE SA). Turn off only where tunnels carry one-way traffic on purpose.")
        /** Key {@code child.sa.liveness} in etc/org.mobilevpn.policy.cfg (DS maps '_' to '.'). */
        boolean child_sa_liveness() default true;

        @AttributeDefinition(name = "Release kill switches on stop", description = "A clean stop of the runtime"
                + " removes the kill switch rules (and says so in the log). Off: they hold while the runtime is"
                + " stopped, like after a crash, until vpn:down or the profile's removal.")
        /** Key {@code release.kill.switch.on.stop}. */
        boolean release_kill_switch_on_stop() default false;
    }

    private final AtomicInteger childSaIds = new AtomicInteger();
    private volatile IkeEngine ikeEngine;
    private volatile DataPath dataPath;
    private volatile VirtualNicFactory virtualNicFactory;
    private volatile KillSwitch killSwitch;
    private boolean releaseKillSwitchesOnStop;
    private volatile ExecutorPolicyScheduler scheduler;
    private ConnectionManager manager;
    private BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ProfileRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    /** Where connections go across an update of this bundle (issue 11); without it they end and start again. */
    private volatile ConnectionHandOver handOverStore;

    @Reference(service = LoggerFactory.class)
    Logger logger;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        this.releaseKillSwitchesOnStop = config.release_kill_switch_on_stop();
        PolicySettings defaults = PolicySettings.defaults();
        PolicySettings settings = new PolicySettings(config.path_mtu(), config.tun_offload(),
                Duration.ofSeconds(Math.max(1, config.reconnect_initial())),
                Duration.ofSeconds(Math.max(Math.max(1, config.reconnect_initial()), config.reconnect_max())),
                defaults.backoffJitter(), defaults.disconnectTimeout(), defaults.childlessGrace(),
                config.child_sa_liveness());
        ExecutorPolicyScheduler s = new ExecutorPolicyScheduler("mobilevpn-policy",
                e -> logger.error("policy task failed: " + e));
        SecureRandom random = new SecureRandom();
        ConnectionContext ctx = new ConnectionContext(services(), new EventAdminEvents(() -> eventAdmin), logger, s,
                Clock.systemUTC(), random::nextDouble, settings, (n, w) -> { });
        manager = new ConnectionManager(ctx, new PersistedConnections(wantedFile(context), logger));
        scheduler = s;
        s.call(() -> {
            manager.start();
            adoptHandedOver();
            KillSwitch ks = killSwitch;
            if (ks != null) {
                manager.reconcileKillSwitches(ks);
            }
            return null;
        }, REQUEST_TIMEOUT);
    }

    @Deactivate
    void deactivate() {
        ExecutorPolicyScheduler s = scheduler;
        scheduler = null;
        List<IkeSession> closing = List.of();
        try {
            ConnectionHandOver store = handOverStore;
            if (store != null && !frameworkStopping()) {
                handOver(s, store);
            }
            boolean release = releaseKillSwitchesOnStop && frameworkStopping();
            closing = s.call(() -> manager.shutdown(release), REQUEST_TIMEOUT);
        } finally {
            s.close();
        }
        awaitDeletes(closing);
    }

    /**
     * This bundle goes while the framework runs (an update): established connections go to {@code store} for the
     * next policy manager instead of being deleted at their gateways. Waits until every IKE session has handed its
     * IKE SA over, or ended because it was not between exchanges within {@link #HAND_OVER_GRACE}.
     */
    private void handOver(ExecutorPolicyScheduler s, ConnectionHandOver store) {
        try {
            if (s.call(() -> manager.handOver(HAND_OVER_GRACE, store), REQUEST_TIMEOUT) == 0) {
                return;
            }
            long deadline = System.nanoTime() + HAND_OVER_GRACE.plus(DELETE_GRACE).toNanos();
            while (s.call(manager::handingOver, REQUEST_TIMEOUT) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            logger.warn("could not hand the connections over to the next policy manager: " + e);
        }
    }

    /** Policy thread: takes up what the previous policy manager handed over, if anything. */
    private void adoptHandedOver() {
        ConnectionHandOver store = handOverStore;
        List<ConnectionRecord> records = store == null ? List.of() : store.takeAll();
        if (records.isEmpty()) {
            return;
        }
        // Child SA ids of the new connections must not collide with the ones handed over
        records.forEach(r -> r.children().forEach(c -> childSaIds.accumulateAndGet(c.status().childSaId(), Math::max)));
        logger.info("taking over " + records.size() + " connection(s) from the previous policy manager");
        manager.adopt(records);
    }

    // ---- VpnManager

    @Override
    public List<String> list() {
        return manager.list();
    }

    @Override
    public ConnectionStatus connect(String name) {
        return policyThread().call(() -> manager.connect(name, n -> {
            ProfileRegistry r = registry;
            return r == null ? List.of() : r.problems(n);
        }), REQUEST_TIMEOUT);
    }

    @Override
    public ConnectionStatus disconnect(String name) {
        return policyThread().call(() -> manager.disconnect(name), REQUEST_TIMEOUT);
    }

    @Override
    public ConnectionStatus rekeyIkeSa(String name) {
        return policyThread().call(() -> manager.rekey(name, false), REQUEST_TIMEOUT);
    }

    @Override
    public ConnectionStatus rekeyChildSas(String name) {
        return policyThread().call(() -> manager.rekey(name, true), REQUEST_TIMEOUT);
    }

    @Override
    public Optional<ConnectionStatus> status(String name) {
        return manager.status(name);
    }

    @Override
    public List<ConnectionStatus> statusAll() {
        return manager.statusAll();
    }

    // ---- ProfileListener

    @Override
    public void profileChanged(ProfileEvent event) {
        // if stopping: the profile is read again at the next activation
        onPolicyThread(() -> manager.profileChanged(event));
    }

    // ---- NetworkListener

    /** The host's networks changed: connections follow the uplink to their gateways (issue 13). */
    @Override
    public void networkChanged(NetworkState state) {
        // if stopping: the watcher hands the state over again at the next activation
        onPolicyThread(() -> manager.networkChanged(state));
    }

    // ---- services that come and go

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIkeEngine(IkeEngine e) {
        ikeEngine = e;
        servicesChanged();
    }

    void unbindIkeEngine(IkeEngine e) {
        if (ikeEngine == e) {
            ikeEngine = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDataPath(DataPath d) {
        dataPath = d;
        servicesChanged();
    }

    /**
     * Called while the leaving data path still works (DS unbinds before the provider deactivates): the
     * connections on it stop their tunnels now and wait on the policy thread for its successor.
     */
    void unbindDataPath(DataPath d) {
        if (dataPath == d) {
            dataPath = null;
        }
        ExecutorPolicyScheduler s = scheduler;
        if (s != null) {
            try {
                if (frameworkStopping()) {
                    // no successor will come: delete at the gateways while this data path still carries it
                    awaitDeletes(s.call(() -> manager.shutdownOn(d, releaseKillSwitchesOnStop), REQUEST_TIMEOUT));
                } else {
                    s.call(() -> {
                        manager.dataPathLeaving(d);
                        return null;
                    }, REQUEST_TIMEOUT);
                }
            } catch (RuntimeException e) {
                // stopping, or the policy thread is stuck: the sessions on the old data path fail and reconnect
                logger.warn("could not let go of the leaving data path in time: " + e);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindVirtualNicFactory(VirtualNicFactory f) {
        virtualNicFactory = f;
        servicesChanged();
    }

    /** Called before the leaving factory closes its NICs: the connections on them let go of their tunnels. */
    void unbindVirtualNicFactory(VirtualNicFactory f) {
        if (virtualNicFactory == f) {
            virtualNicFactory = null;
        }
        ExecutorPolicyScheduler s = scheduler;
        if (s != null) {
            try {
                s.call(() -> {
                    manager.nicFactoryLeaving(f);
                    return null;
                }, REQUEST_TIMEOUT);
            } catch (RuntimeException e) {
                Logger l = logger;
                if (l != null) {
                    l.warn("could not let go of the leaving virtual NIC factory in time: " + e);
                }
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindKillSwitch(KillSwitch k) {
        killSwitch = k;
        onPolicyThread(() -> manager.reconcileKillSwitches(k));
        servicesChanged();
    }

    void unbindKillSwitch(KillSwitch k) {
        if (killSwitch == k) {
            killSwitch = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHandOverStore(ConnectionHandOver store) {
        handOverStore = store;
        onPolicyThread(this::adoptHandedOver);
    }

    void unbindHandOverStore(ConnectionHandOver store) {
        if (handOverStore == store) {
            handOverStore = null;
        }
    }

    private void servicesChanged() {
        onPolicyThread(() -> manager.servicesChanged());
    }

    /** Runs {@code task} on the policy thread; dropped when the component is stopping (its executor refuses it). */
    private void onPolicyThread(Runnable task) {
        ExecutorPolicyScheduler s = scheduler;
        if (s != null) {
            try {
                s.execute(task);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private ConnectionServices services() {
        return new ConnectionServices() {
            @Override
            public IkeEngine ikeEngine() {
                return ikeEngine;
            }

            @Override
            public DataPath dataPath() {
                return dataPath;
            }

            @Override
            public VirtualNicFactory virtualNicFactory() {
                return virtualNicFactory;
            }

            @Override
            public KillSwitch killSwitch() {
                return killSwitch;
            }

            @Override
            public InetAddress resolve(String host) throws UnknownHostException {
                return InetAddress.getByName(host);
            }

            @Override
            public int nextChildSaId() {
                return childSaIds.incrementAndGet();
            }
        };
    }

    private boolean frameworkStopping() {
        BundleContext c = context;
        return c != null && c.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
    }

    /**
     * Gives the gateways a moment to answer the DELETEs of closing sessions (RFC 7296 §1.4.1), so a
     * stopping runtime leaves no IKE SA behind, whichever bundle the framework stops first.
     */
    private static void awaitDeletes(List<IkeSession> closing) {
        long deadline = System.nanoTime() + DELETE_GRACE.toNanos();
        while (closing.stream().anyMatch(IkeSession::isActive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private ExecutorPolicyScheduler policyThread() {
        ExecutorPolicyScheduler s = scheduler;
        if (s == null) {
            throw new IllegalStateException("the policy manager is stopping");
        }
        return s;
    }

    /** The bundle's data area (data/cache/bundleN/data in the runtime), which survives restarts and updates. */
    private static Path wantedFile(BundleContext context) {
        File f = context.getDataFile(WANTED_FILE);
        if (f != null) {
            return f.toPath();
        }
        String home = context.getProperty("mobilevpn.home");
        return Path.of(home == null ? "." : home, "data", "policy", WANTED_FILE);
    }
}
