package org.mobilevpn.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Prometheus metrics on their own listener ({@code http://127.0.0.1:9477/metrics} by default),
 * configured by PID {@code org.mobilevpn.metrics}. A listener that cannot bind (port taken) is logged
 * and leaves the component running without it: the VPN does not depend on its metrics. A changed
 * configuration restarts the component (no @Modified), which closes the old listener first.
 *
 * <p>It hears every {@code CONNECTED} event, so that each handshake's duration reaches the histogram
 * ({@link HandshakeDurations}) even when no scrape comes between two handshakes.
 */
@Component(service = EventHandler.class, immediate = true, configurationPid = MetricsEndpoint.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = EventConstants.EVENT_TOPIC + "=" + VpnManager.TOPIC_PREFIX + "CONNECTED")
@Designate(ocd = MetricsEndpoint.Config.class)
public final class MetricsEndpoint implements EventHandler {
    static final String PID = "org.mobilevpn.metrics";

    /** The listener's settings. */
    @ObjectClassDefinition(name = "mobilevpn Prometheus metrics",
            description = "GET /metrics in Prometheus text format 0.0.4, without login: keep it on loopback unless a firewall guards it")
    public @interface Config {
        @AttributeDefinition(name = "Address", description = "Address to listen on")
        String address() default "127.0.0.1";

        @AttributeDefinition(name = "Port", description = "TCP port to listen on", min = "0", max = "65535")
        int port() default 9477;

        @AttributeDefinition(name = "Enabled", description = "Serve the metrics")
        boolean enabled() default true;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile VpnManager manager;

    @Reference(service = LoggerFactory.class)
    Logger logger;

    private final Clock clock;
    private final HandshakeDurations durations = new HandshakeDurations();
    private MetricsServer server;

    /** For DS. */
    public MetricsEndpoint() {
        this(Clock.systemUTC());
    }

    MetricsEndpoint(Clock clock) {
        this.clock = clock;
    }

    @Activate
    void activate(Config config) {
        if (!config.enabled()) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(config.address(), config.port());
        try {
            server = new MetricsServer(address, this::text);
            logger.info("Prometheus metrics on http://" + hostPort(server.address()) + MetricsServer.PATH);
        } catch (IOException | RuntimeException e) {
            logger.error("Prometheus metrics not served: cannot listen on " + hostPort(address) + ": " + e);
        }
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The bound listener's address, or null when not serving. */
    InetSocketAddress address() {
        return server == null ? null : server.address();
    }

    /** A connection came up: its handshake goes into the histogram now. */
    @Override
    public void handleEvent(Event event) {
        VpnManager m = manager;
        Object name = event.getProperty(VpnManager.EVENT_NAME);
        if (m != null && name instanceof String n) {
            try {
                m.status(n).ifPresent(durations::observe);
            } catch (RuntimeException e) {
                // the manager may be going away; the next scrape looks again
            }
        }
    }

    /** The exposition text now. */
    String text() {
        VpnManager m = manager;
        List<ConnectionStatus> connections = List.of();
        boolean available = false;
        if (m != null) {
            try {
                connections = m.statusAll();
                durations.observeAll(connections);
                available = true;
            } catch (RuntimeException e) {
                // the service may be going away while we ask: the metrics say the manager did not answer
                connections = List.of();
            }
        }
        return VpnMetrics.text(available, connections, durations, clock.instant());
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
