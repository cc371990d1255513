package org.mobilevpn.vnic;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.mobilevpn.api.net.NetworkListener;
import org.mobilevpn.api.net.NetworkState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Watches the host's links, addresses and routes through rtnetlink (no polling) and hands every change to
 * the {@link NetworkListener} services (whiteboard); a listener also gets the current state when it arrives. The
 * virtual NICs (the device name prefix of {@link TunVirtualNicFactory}'s configuration, whose PID this component
 * shares) are left out. Each published state is logged in one line, so an operator sees what the VPN saw.
 */
@Component(immediate = true, service = {}, configurationPid = "org.mobilevpn.vnic.TunVirtualNicFactory")
public final class NetworkWatcherComponent {
    /**
     * How long the notifications of one change are gathered before a loss (a link down, an address or route gone)
     * is published: the kernel sends a link's addresses and routes within a millisecond or two of the link, so the
     * loss arrives as one state; every millisecond here is outage for a tunnel whose uplink went away.
     */
    static final long BURST_MILLIS = 5;
    /**
     * How long from the first notification before something that appeared (a link up, an address or route added)
     * is published: a flap that is over by then publishes nothing; short against the 2 s a whole move may take.
     */
    static final long SETTLE_MILLIS = 100;

    /** The attribute of {@link TunVirtualNicFactory.Config} this component reads. */
    @interface Config {
        String name_prefix() default "mvpn";
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final List<NetworkListener> listeners = new CopyOnWriteArrayList<>();
    private volatile KernelNetworkWatch watch;

    @Activate
    void activate(Config config) {
        String prefix = config.name_prefix();
        try {
            watch = KernelNetworkWatch.start(name -> VnicSettings.isOwnDevice(name, prefix), BURST_MILLIS, SETTLE_MILLIS,
                    this::publish, log);
        } catch (IOException e) {
            log.warn("network: cannot watch links, addresses and routes (" + e.getMessage()
                    + "); connections do not follow network changes");
        }
    }

    @Deactivate
    void deactivate() {
        KernelNetworkWatch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(NetworkListener listener) {
        listeners.add(listener);
        KernelNetworkWatch w = watch;
        NetworkState now = w == null ? null : w.current();
        if (now != null) {
            deliver(listener, now);
        }
    }

    void removeListener(NetworkListener listener) {
        listeners.remove(listener);
    }

    private void publish(NetworkState state) {
        log.info("network: " + describe(state));
        for (NetworkListener l : listeners) {
            deliver(l, state);
        }
    }

    private void deliver(NetworkListener l, NetworkState state) {
        try {
            l.networkChanged(state);
        } catch (RuntimeException e) {
            log.warn("network: a listener failed: " + e);
        }
    }

    /**
     * One line: each link with its state and global addresses, then the default routes, e.g.
     * {@code wan0 up 198.51.100.66/26; cell0 down; default via 100.64.0.1 dev cell0 metric 200}.
     */
    static String describe(NetworkState s) {
        String links = s.links().stream().filter(l -> !l.loopback()).map(l -> l.name() + (l.usable() ? " up" : " down")
                + s.addressesOn(l.index()).stream().filter(a -> a.global()).map(a -> " " + a.address())
                        .collect(Collectors.joining())).collect(Collectors.joining("; "));
        String defaults = s.routes().stream().filter(r -> r.destination().prefixLength() == 0)
                .map(r -> "default" + (r.gateway() == null ? "" : " via " + r.gateway().getHostAddress()) + " dev "
                        + s.link(r.linkIndex()).map(l -> l.name()).orElse("#" + r.linkIndex()) + " metric " + r.metric())
                .collect(Collectors.joining("; "));
        return (links.isEmpty() ? "no links" : links) + "; " + (defaults.isEmpty() ? "no default route" : defaults);
    }
}
