package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.mobilevpn.api.vnic.KillSwitch;
import org.mobilevpn.api.vnic.KillSwitchPolicy;
import org.mobilevpn.api.vnic.VnicException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The {@link KillSwitch} service: {@link NftKillSwitch} with the virtual NIC's configuration (same PID as
 * {@link TunVirtualNicFactory}: its state directory and device name prefix, and {@code nft_command}).
 * Activation reconciles the kernel with the policies on disk (whole when this runtime wrote them: a bundle
 * update); deactivation (a bundle update, a stop) leaves the rules in the kernel, where they keep holding until
 * the policy manager releases them.
 *
 * <p>Immediate: DS would otherwise deactivate it the moment its only user, the policy manager, goes for an
 * update of the policy bundle, and the connections handed over (issue 11) would lose what it holds.
 */
@Component(service = KillSwitch.class, immediate = true, configurationPid = "org.mobilevpn.vnic.TunVirtualNicFactory")
public final class KillSwitchComponent implements KillSwitch {

    /** The attributes of {@link TunVirtualNicFactory.Config} this component reads. */
    @interface Config {
        String state_dir() default "";

        String name_prefix() default "mvpn";

        String nft_command() default "nft";
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private NftKillSwitch delegate;

    @Activate
    void activate(BundleContext context, Config config) {
        Path state = config.state_dir().isEmpty() ? TunVirtualNicFactory.dataDir(context) : Path.of(config.state_dir());
        delegate = new NftKillSwitch(config.nft_command(), config.name_prefix(),
                new KillSwitchStore(state.resolve("killswitch")), new ProcessCommandRunner(), log, System::nanoTime, RuntimeProcessId.current().toString());
        try {
            delegate.reconcile();
        } catch (IOException | RuntimeException e) {
            log.warn("kill switch: the rules of the earlier run could not be checked: " + e.getMessage());
        }
    }

    @Override
    public void apply(String connection, KillSwitchPolicy policy) throws VnicException {
        delegate.apply(connection, policy);
    }

    @Override
    public void remove(String connection, String reason) throws VnicException {
        delegate.remove(connection, reason);
    }

    @Override
    public Set<String> installed() {
        return delegate.installed();
    }

    @Override
    public Optional<KillSwitchPolicy> policy(String connection) {
        return delegate.policy(connection);
    }

    @Override
    public long droppedPackets(String connection) {
        return delegate.droppedPackets(connection);
    }
}
