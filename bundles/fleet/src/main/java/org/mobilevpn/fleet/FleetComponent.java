package org.mobilevpn.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.CredentialFiles;
import org.mobilevpn.api.profile.PolicyDocuments;
import org.mobilevpn.api.profile.ProvisioningContributor;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The fleet agent in the runtime: exists only while configuration {@value FleetSettings#PID} does
 * ({@code etc/org.mobilevpn.fleet.cfg}), wires a {@link FleetAgent} to the CSP's policy-document path,
 * the Policy Manager, {@code deploy/} and EventAdmin's connection events, and reports its broker link in
 * the provisioning check (a plain-TCP broker fails it). A changed configuration restarts the agent; an
 * invalid one leaves it stopped with the problems, each naming its key, in the log and in the check.
 */
@Component(configurationPid = FleetSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {ProvisioningContributor.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + VpnManager.TOPIC_PREFIX + "*")
@Designate(ocd = FleetConfig.class)
public final class FleetComponent implements ProvisioningContributor, EventHandler {
    /** The runtime directory (framework property); relative paths of the configuration resolve against it. */
    static final String HOME_PROPERTY = "mobilevpn.home";

    @Reference
    PolicyDocuments documents;

    @Reference
    VpnManager vpn;

    @Reference
    CredentialFiles credentials;

    @Reference
    ServiceComponentRuntime scr;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Logger logger;

    private FleetSettings settings;
    private List<String> problems = List.of();
    private ScheduledExecutorService executor;
    private FleetAgent agent;
    private BrokerLink link;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        String home = context.getProperty(HOME_PROPERTY);
        Path homeDir = Path.of(home == null ? System.getProperty("user.dir") : home);
        FleetLog log = new OsgiLog();
        try {
            settings = FleetSettings.parse(properties, homeDir);
        } catch (FleetSettings.InvalidSettingsException e) {
            problems = e.problems();
            log.error("fleet configuration " + FleetSettings.PID + " is not valid, the agent does not run: " + e.getMessage());
            return;
        }
        SSLSocketFactory tls;
        PublicKey signer;
        try {
            tls = settings.brokers().stream().anyMatch(u -> u.getScheme().equalsIgnoreCase("ssl")) ? tls(settings) : null;
            signer = settings.signer().isPresent() ? signer(settings.signer().get()) : null;
        } catch (IOException | GeneralSecurityException e) {
            problems = List.of(e.getMessage());
            log.error("fleet credentials cannot be used, the agent does not run: " + e.getMessage());
            return;
        }
        if (settings.plain()) {
            log.warn("fleet broker " + settings.brokers() + " is reached over plain TCP (allow_plain = true): policies, "
                    + "commands and bundles travel without encryption or authentication");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mobilevpn-fleet");
            t.setDaemon(true);
            return t;
        });
        link = new PahoBrokerLink(settings.brokers(), settings.deviceId(), tls, settings.keepalive(), executor,
                new BrokerBackoff(new SecureRandom()::nextDouble), log);
        DeployDirectory deployer = new DeployDirectory(context, homeDir.resolve("deploy"),
                context.getDataFile("rollback").toPath(), () -> scr, settings.deployTimeout(), log);
        agent = new FleetAgent(settings, link, documents, vpn, deployer,
                new AppliedRevisions(context.getDataFile("applied-revisions.json").toPath()), signer, executor, executor,
                Clock.systemUTC(), log);
        agent.start();
        log.info("fleet agent started: " + settings);
    }

    @Deactivate
    void deactivate() {
        if (agent != null) {
            agent.stop();
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void handleEvent(Event event) {
        FleetAgent a = agent;
        if (a == null) {
            return;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        for (String key : List.of(VpnManager.EVENT_NAME, VpnManager.EVENT_STATE, VpnManager.EVENT_PREVIOUS_STATE,
                VpnManager.EVENT_REASON, VpnManager.EVENT_MESSAGE)) {
            Object v = event.getProperty(key);
            if (v != null) {
                e.put(key, String.valueOf(v));
            }
        }
        if (!e.containsKey(VpnManager.EVENT_STATE) && event.getTopic().equals(VpnManager.TOPIC_REKEYED)) {
            e.put(VpnManager.EVENT_STATE, "REKEYED");
        }
        a.connectionEvent(e);
    }

    @Override
    public List<ProvisioningItem> provisioningItems() {
        List<ProvisioningItem> items = new ArrayList<>();
        if (!problems.isEmpty()) {
            items.add(new ProvisioningItem("fleet", false, "configuration not usable, the agent does not run: "
                    + String.join("; ", problems)));
            return items;
        }
        if (settings.plain()) {
            items.add(new ProvisioningItem("fleet broker", false, settings.brokers() + " includes plain TCP (allow_plain = true): "
                    + "desired policies, commands and bundles travel unencrypted and unauthenticated; use ssl:// with mutual TLS"));
        } else {
            items.add(new ProvisioningItem("fleet broker", true, settings.brokers() + " with mutual TLS as " + settings.deviceId()));
        }
        BrokerLink l = link;
        items.add(new ProvisioningItem("fleet connection", l != null && l.connected(),
                l != null && l.connected() ? "connected" : "not connected to the broker (the runtime works on; reconnecting)"));
        return items;
    }

    private SSLSocketFactory tls(FleetSettings s) throws IOException, GeneralSecurityException {
        char[] password = s.keyPassword().isEmpty() ? null : s.keyPassword().toCharArray();
        CredentialFiles.Content own = credentials.read(s.cert().orElseThrow(), password);
        PrivateKey key = own.key();
        if (key == null && s.key().isPresent()) {
            key = credentials.read(s.key().get(), password).key();
        }
        if (key == null || own.certificates().isEmpty()) {
            throw new IOException("cert/key: no certificate with its private key in " + s.cert().get()
                    + s.key().map(k -> " and " + k).orElse(""));
        }
        List<X509Certificate> cas = credentials.read(s.ca().orElseThrow(), null).certificates();
        if (cas.isEmpty()) {
            throw new IOException("ca: no certificate in " + s.ca().get());
        }
        return TlsContexts.client(own.certificates(), key, cas);
    }

    private PublicKey signer(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = credentials.read(file, null).certificates();
        if (certs.isEmpty()) {
            throw new IOException("signer: no certificate in " + file);
        }
        try {
            certs.get(0).checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new IOException("signer: the certificate in " + file + " is not valid now (" + e.getMessage() + ")");
        }
        return certs.get(0).getPublicKey();
    }

    /** The OSGi Logger, when there is one. */
    private final class OsgiLog implements FleetLog {
        @Override
        public void info(String message) {
            Logger l = logger;
            if (l != null) {
                l.info(message);
            }
        }

        @Override
        public void warn(String message) {
            Logger l = logger;
            if (l != null) {
                l.warn(message);
            }
        }

        @Override
        public void error(String message) {
            Logger l = logger;
            if (l != null) {
                l.error(message);
            }
        }
    }
}
