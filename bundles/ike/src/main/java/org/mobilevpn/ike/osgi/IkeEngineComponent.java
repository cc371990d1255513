package org.mobilevpn.ike.osgi;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.ike.IkeEngine;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.ike.crypto.AuthSignatures;
import org.mobilevpn.ike.crypto.JcaAuthSignatures;
import org.mobilevpn.ike.crypto.OpenSslAuthSignatures;
import org.mobilevpn.ike.crypto.SignaturesOnFirstUse;
import org.mobilevpn.ike.engine.EngineSettings;
import org.mobilevpn.ike.engine.ExecutorScheduler;
import org.mobilevpn.ike.engine.IkeEngineImpl;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The IKEv2 engine as the {@link IkeEngine} service. It owns one loop thread for all its sessions. On
 * deactivation while the framework stops, every running session deletes its IKE SA at the gateway (given a
 * moment for the answer); on any other deactivation (the ike bundle is updated or stopped) each session is
 * handed to its listener as an {@link org.mobilevpn.api.ike.IkeSaRecord} instead, between two exchanges or with
 * the exchange under way (our liveness check or Child SA rekey, the gateway's rekey), and the next engine {@link #resume resumes} it: nothing reaches the gateway. Then the loop stops. Sessions carry their connection's keys; the engine's own settings (retransmission,
 * fragment size, rekey jitter) come from the optional configuration {@value #PID}, and a change of it
 * applies to sessions started afterwards without touching the running ones. An invalid change is logged,
 * naming the key, and the settings in use stay.
 *
 * <p>Immediate: DS would otherwise deactivate it the moment its only user, the policy manager, goes for an
 * update of the policy bundle, and the connections handed over (issue 11) would lose what it holds.
 */
@Component(service = IkeEngine.class, immediate = true, configurationPid = IkeEngineComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IkeEngineConfiguration.class)
public class IkeEngineComponent implements IkeEngine {
    /** The engine's configuration PID, as strongswan.conf is to swanctl.conf. */
    public static final String PID = "org.mobilevpn.ike";

    /** How long deactivation waits for the gateways to answer our DELETEs. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    /** How long deactivation waits for a session in an exchange that cannot go along (our IKE SA rekey) to end it. */
    static final Duration HAND_OVER_GRACE = Duration.ofSeconds(2);

    @Reference(service = LoggerFactory.class)
    Logger logger;

    private ScheduledExecutorService loop;
    private IkeEngineImpl engine;
    private SignaturesOnFirstUse signatures;

    @Activate
    void activate(IkeEngineConfiguration config) {
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mobilevpn-ike");
            t.setDaemon(true);
            return t;
        });
        AuthSignatures jdk = new JcaAuthSignatures();
        // libcrypto is loaded by the first certificate handshake: a PSK or EAP runtime never maps it
        signatures = new SignaturesOnFirstUse(() -> OpenSslAuthSignatures.load(jdk), jdk, e -> logger.info(
                "no OpenSSL libcrypto (" + e.getMessage() + "): RSA and ECDSA AUTH signatures by the JDK, slower"));
        engine = new IkeEngineImpl(new ExecutorScheduler(loop), new SecureRandom(), signatures, logger);
        modified(config);
    }

    /** New settings for the sessions started from now on; invalid ones are reported and the old ones kept. */
    @Modified
    void modified(IkeEngineConfiguration config) {
        try {
            engine.settings(new EngineSettings(EngineSettings.seconds(config.retransmit__timeout()),
                    config.retransmit__base(), config.retransmit__tries(), config.fragment__size(), config.fragmentation(),
                    config.rekey__jitter()));
        } catch (IllegalArgumentException e) {
            logger.warn(PID + ": " + e.getMessage() + "; keeping " + engine.settings());
        }
    }

    /** The settings new sessions start with. */
    EngineSettings settings() {
        return engine.settings();
    }

    @Deactivate
    void deactivate(BundleContext context) {
        if (frameworkStopping(context)) {
            engine.closeAll();
            engine.awaitAllClosed(CLOSE_GRACE);
        } else {
            engine.handOverAll(HAND_OVER_GRACE);
            engine.awaitAllClosed(HAND_OVER_GRACE.plus(CLOSE_GRACE));
        }
        loop.shutdown();
        try {
            if (!loop.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            loop.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (loop.isTerminated()) {
            try {
                signatures.close(); // the loop, its only user, has stopped; else the native keys are left
            } catch (Exception e) {
                logger.warn("closing the native signatures: " + e);
            }
        }
    }

    private static boolean frameworkStopping(BundleContext context) {
        return context == null || context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
    }

    @Override
    public IkeSession start(IkeSessionConfig config, IkeTransport transport, IkeSessionListener listener) {
        return engine.start(config, transport, listener);
    }

    @Override
    public IkeSession resume(IkeSaRecord record, IkeSessionConfig config, IkeTransport transport,
            IkeSessionListener listener) {
        return engine.resume(record, config, transport, listener);
    }
}
