package org.mobilevpn.vnic;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mobilevpn.api.vnic.PreferredUplinkRoute;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.mobilevpn.api.vnic.VnicConfig;
import org.mobilevpn.api.vnic.VnicException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link VirtualNicFactory} service on Linux: TUN devices through JNA, addresses and routes
 * through iproute2. At activation it removes what a crashed earlier run left behind. At
 * deactivation while the framework stops it closes every NIC it opened; at any other deactivation (the
 * bundle is updated or stopped) it keeps each device as it is, and open, for the next factory of this process,
 * which takes it over when asked to open that name ({@link KeptDevices}): the tunnel on it goes on without a
 * new IKE SA, and its packets go on flowing through the kept handle meanwhile.
 *
 * <p>Immediate: DS would otherwise deactivate it the moment its only user, the policy manager, goes for an
 * update of the policy bundle, and the connections handed over (issue 11) would lose what it holds.
 */
@Component(service = VirtualNicFactory.class, immediate = true)
@Designate(ocd = TunVirtualNicFactory.Config.class)
public final class TunVirtualNicFactory implements VirtualNicFactory {

    @ObjectClassDefinition(name = "mobilevpn virtual NIC", description = "Linux TUN devices for the VPN")
    public @interface Config {
        @AttributeDefinition(name = "TUN clone device")
        String tun_device() default "/dev/net/tun";

        @AttributeDefinition(name = "ip executable", description = "iproute2's ip, by path or name")
        String ip_command() default "ip";

        @AttributeDefinition(name = "resolv.conf", description = "File the RESOLV_CONF DNS strategy manages")
        String resolv_conf() default "/etc/resolv.conf";

        @AttributeDefinition(name = "State directory",
                description = "Journal and resolv.conf backup; empty: the bundle's data area")
        String state_dir() default "";

        @AttributeDefinition(name = "Device name prefix",
                description = "Devices are named PREFIX0, PREFIX1...; stale ones with this prefix are removed at start")
        String name_prefix() default "mvpn";

        @AttributeDefinition(name = "nft executable",
                description = "nftables' nft, by path or name: the kill switch's rules (table inet mobilevpn)")
        String nft_command() default "nft";
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final Set<LinuxVirtualNic> open = ConcurrentHashMap.newKeySet();
    private VnicSettings settings;
    private CommandRunner runner;
    private PreferredUplinkRoutes preferredRoutes;

    /** For the framework. */
    public TunVirtualNicFactory() {
    }

    /** Outside a framework (bench mode, tests): explicit settings and command runner. */
    TunVirtualNicFactory(VnicSettings settings, CommandRunner runner, Logger log) {
        this.settings = settings;
        this.runner = runner;
        this.log = log;
        this.preferredRoutes = new PreferredUplinkRoutes(settings, runner, log);
    }

    /** A factory for use outside a framework, logging to {@code log}; cleans stale state like an activation would. */
    public static VirtualNicFactory standalone(Path tunDevice, Path resolvConf, Path stateDir, String namePrefix,
            Logger log) throws IOException {
        TunVirtualNicFactory f = new TunVirtualNicFactory(
                new VnicSettings(tunDevice, "ip", resolvConf, stateDir, namePrefix), new ProcessCommandRunner(), log);
        f.cleanStaleState();
        return f;
    }

    @Activate
    void activate(BundleContext context, Config config) {
        Path state = config.state_dir().isEmpty() ? dataDir(context) : Path.of(config.state_dir());
        settings = new VnicSettings(Path.of(config.tun_device()), config.ip_command(), Path.of(config.resolv_conf()),
                state, config.name_prefix());
        runner = new ProcessCommandRunner();
        preferredRoutes = new PreferredUplinkRoutes(settings, runner, log);
        try {
            cleanStaleState();
        } catch (IOException | RuntimeException e) {
            log.warn("cleaning stale state failed: " + e.getMessage());
        }
    }

    static Path dataDir(BundleContext context) {
        File f = context.getDataFile("vnic");
        return f != null ? f.toPath() : Path.of(System.getProperty("java.io.tmpdir"), "mobilevpn-vnic");
    }

    List<String> cleanStaleState() throws IOException {
        return new StaleStateCleaner(settings, runner, log).clean();
    }

    @Deactivate
    void deactivate(BundleContext context) {
        boolean frameworkStopping = context == null
                || context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
        // a handshake under way loses its route to the preferred uplink: the policy starts it again on the next factory
        preferredRoutes.closeAll();
        for (LinuxVirtualNic nic : List.copyOf(open)) {
            if (frameworkStopping) {
                nic.close();
            } else {
                nic.keep();
            }
        }
    }

    @Override
    public VirtualNic open(VnicConfig config) throws VnicException {
        if (config.name() != null && !config.name().startsWith(settings.namePrefix())) {
            log.warn("device " + config.name() + " lacks the prefix " + settings.namePrefix()
                    + ": after a crash it is not recognised as stale");
        }
        VirtualNic[] self = new VirtualNic[1];
        Runnable onClose = () -> {
            if (self[0] != null) { // null: the open failed and closes what it made; its own error is the one to see
                open.remove(self[0]);
            }
        };
        LinuxVirtualNic nic = config.name() != null && new KeptDevices(settings.stateDir()).isKept(config.name())
                ? LinuxVirtualNic.adopt(settings, runner, config, log, onClose, preferredRoutes::takenOver)
                : LinuxVirtualNic.open(settings, runner, config, log, onClose, preferredRoutes::takenOver);
        self[0] = nic;
        open.add(nic);
        return nic;
    }

    @Override
    public PreferredUplinkRoute routeGateway(InetAddress gateway, String uplink, InetAddress nextHop)
            throws VnicException {
        return preferredRoutes.route(gateway, uplink, nextHop);
    }
}
