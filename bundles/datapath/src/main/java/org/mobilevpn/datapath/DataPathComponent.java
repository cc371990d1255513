package org.mobilevpn.datapath;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.TunnelConfig;
import org.mobilevpn.api.esp.EspTransformFactory;
import org.mobilevpn.api.filter.SecurityPolicyDatabaseFactory;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.api.net.IpAddresses;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link DataPath} service. Binds its sockets on first use, not at activation, so a runtime
 * without a connection holds no ports; deactivation stops every tunnel, joins the threads and
 * closes the sockets (the virtual NICs belong to whoever opened them).
 *
 * <p>Immediate: DS would otherwise deactivate it the moment its only user, the policy manager, goes for an
 * update of the policy bundle, and the connections handed over (issue 11) would lose what it holds.
 */
@Component(service = DataPath.class, immediate = true)
@Designate(ocd = DataPathComponent.Config.class)
public final class DataPathComponent implements DataPath {

    @ObjectClassDefinition(name = "mobilevpn data path", description = "UDP sockets and the ESP packet pump")
    public @interface Config {
        @AttributeDefinition(name = "Bind address", description = "Local address of the sockets; empty: any")
        String bind_address() default "";

        @AttributeDefinition(name = "IKE port", description = "0: no port-500 socket")
        int ike_port() default 500;

        @AttributeDefinition(name = "NAT-T port", description = "IKE with non-ESP marker and ESP-in-UDP")
        int natt_port() default 4500;
    }

    @Reference
    private EspTransformFactory esp;

    @Reference
    private SecurityPolicyDatabaseFactory spd;

    private Config config;
    private DataPathEngine engine;
    private boolean stopped;

    @Activate
    void activate(Config c) {
        this.config = c;
    }

    @Deactivate
    synchronized void deactivate() {
        stopped = true;
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    private synchronized DataPathEngine engine() throws IOException {
        if (stopped) {
            throw new IOException("data path stopped");
        }
        if (engine == null) {
            InetAddress bind;
            try {
                bind = config.bind_address().isEmpty() ? null : IpAddresses.parse(config.bind_address());
            } catch (IllegalArgumentException e) {
                throw new IOException("bind_address: " + e.getMessage());
            }
            engine = new DataPathEngine(esp, spd, bind, config.ike_port(), config.natt_port());
        }
        return engine;
    }

    @Override
    public IkeTransport openIkeTransport(InetSocketAddress gateway) throws IOException {
        return engine().openIkeTransport(gateway);
    }

    @Override
    public DataPathTunnel openTunnel(TunnelConfig c) throws IOException {
        return engine().openTunnel(c);
    }

    @Override
    public synchronized DataPathCounters counters() {
        return engine == null ? DataPathCounters.empty() : engine.counters();
    }
}
