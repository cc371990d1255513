package org.mobilevpn.csp;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.mobilevpn.api.profile.ProfileEvent;
import org.mobilevpn.api.profile.ProfileListener;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.ProposalValidator;
import org.mobilevpn.api.profile.VpnProfile;
import org.osgi.framework.BundleContext;
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

/**
 * The {@link ProfileRegistry}: receives every profile configuration from its
 * {@link ProfileConfigurationFactory}, parses it, keeps the valid versions ({@link ProfileTable}),
 * logs what happened and announces it ({@link ProfileEventDispatcher}). Always on; needs nothing
 * mandatory, so it is satisfied in any runtime.
 *
 * <p>Proposal keywords are checked by the {@link ProposalValidator} the IKE bundle provides. When it
 * arrives after profiles were parsed, they are parsed again, so an unknown keyword is reported as soon
 * as the validator can see it; when it is absent, keywords are checked by the engine at connect time.
 */
@Component(service = {ProfileRegistry.class, ProfileStore.class})
public final class ProfileRegistryComponent implements ProfileRegistry, ProfileStore {
    /** Framework (or system) property naming the runtime directory; relative credential paths start there. */
    static final String HOME_PROPERTY = "mobilevpn.home";
    private static final String FACTORY_ALIAS_PREFIX = ProfileKeys.FACTORY_PID + "~";

    private final Object lock = new Object();
    private final ProfileTable table = new ProfileTable();
    private final Map<String, Map<String, Object>> raw = new LinkedHashMap<>();
    private final Map<String, List<ProfileProblem>> documentProblems = new LinkedHashMap<>();
    private final List<ProfileListener> pendingListeners = new ArrayList<>();
    private volatile ProposalValidator validator;
    private ProfileParser parser;
    private ProfileEventDispatcher dispatcher;
    private ExecutorService executor;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Reference(service = LoggerFactory.class)
    Logger logger;

    @Activate
    void activate(BundleContext context) {
        String home = context.getProperty(HOME_PROPERTY);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mobilevpn-profile-events");
            t.setDaemon(true);
            return t;
        });
        start(Path.of(home == null ? System.getProperty("user.dir") : home), executor, Clock.systemUTC());
    }

    /** Starts with explicit collaborators (tests use a direct executor and a fixed clock). */
    void start(Path home, Executor events, Clock clock) {
        synchronized (lock) {
            parser = new ProfileParser(home.toAbsolutePath().normalize(),
                    new CredentialResolver(new CredentialLoader(), new KeyPairCheck(new SecureRandom()), clock));
            dispatcher = new ProfileEventDispatcher(events, () -> eventAdmin,
                    (what, e) -> logger.error(what + ": " + e));
            for (ProfileListener l : pendingListeners) {
                dispatcher.addListener(l, List.of());
            }
            pendingListeners.clear();
        }
    }

    @Deactivate
    void deactivate() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindValidator(ProposalValidator v) {
        validator = v;
        reparseAll();
    }

    void unbindValidator(ProposalValidator v) {
        if (validator == v) {
            validator = null; // keep the results: profiles stay as checked until their next update
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(ProfileListener l) {
        synchronized (lock) {
            if (dispatcher == null) {
                pendingListeners.add(l);
            } else {
                dispatcher.addListener(l, table.profiles());
            }
        }
    }

    void unbindListener(ProfileListener l) {
        synchronized (lock) {
            pendingListeners.remove(l);
            if (dispatcher != null) {
                dispatcher.removeListener(l);
            }
        }
    }

    // ---- ProfileStore

    @Override
    public void configured(String pid, Map<String, ?> properties) {
        logger.debug("configuration " + pid + " received (" + properties.size() + " properties)");
        try {
            synchronized (lock) {
                raw.put(pid, new LinkedHashMap<>(properties));
                apply(pid);
            }
        } catch (RuntimeException e) {
            logger.error("profile configuration " + pid + " cannot be processed: " + e);
        }
    }

    @Override
    public void deleted(String pid) {
        try {
            synchronized (lock) {
                raw.remove(pid);
                List<ProfileEvent> events = table.remove(pid);
                events.forEach(this::logEvent);
                dispatcher.publish(events);
            }
        } catch (RuntimeException e) {
            logger.error("profile configuration " + pid + " cannot be removed: " + e);
        }
    }

    @Override
    public ParseResult check(Map<String, ?> properties, String alias, String keyPrefix) {
        ProfileParser p;
        synchronized (lock) {
            p = parser;
        }
        return p.parse(properties, alias, validator, keyPrefix);
    }

    @Override
    public void documentProblems(String source, List<ProfileProblem> problems) {
        synchronized (lock) {
            if (problems.isEmpty()) {
                documentProblems.remove(source);
            } else {
                documentProblems.put(source, List.copyOf(problems));
            }
        }
    }

    // ---- ProfileRegistry

    @Override
    public List<VpnProfile> profiles() {
        synchronized (lock) {
            return table.profiles();
        }
    }

    @Override
    public Optional<VpnProfile> profile(String name) {
        synchronized (lock) {
            return table.profile(name);
        }
    }

    @Override
    public List<ProfileProblem> problems() {
        synchronized (lock) {
            List<ProfileProblem> all = new ArrayList<>(table.problems());
            documentProblems.values().forEach(all::addAll);
            return all;
        }
    }

    @Override
    public List<ProfileProblem> problems(String name) {
        synchronized (lock) {
            List<ProfileProblem> all = new ArrayList<>(table.problems(name));
            documentProblems.values().forEach(list -> list.stream().filter(p -> p.profile().equals(name)).forEach(all::add));
            return all;
        }
    }

    // ----

    private void reparseAll() {
        try {
            synchronized (lock) {
                if (parser == null) {
                    return; // not active yet: activation parses with the validator anyway
                }
                for (String pid : new ArrayList<>(raw.keySet())) {
                    apply(pid);
                }
            }
        } catch (RuntimeException e) {
            logger.error("profiles cannot be checked again: " + e);
        }
    }

    /** Parses the stored properties of one configuration and publishes the outcome. Holds the lock. */
    private void apply(String pid) {
        ParseResult r = parser.parse(raw.get(pid), alias(pid), validator, "");
        String label = r.name().isEmpty() ? pid : r.name();
        r.warnings().forEach(w -> logger.warn("profile " + label + ": " + w));
        List<ProfileEvent> events = table.update(pid, r);
        events.forEach(this::logEvent);
        dispatcher.publish(events);
    }

    private void logEvent(ProfileEvent e) {
        switch (e.kind()) {
            case ADDED -> logger.info("profile " + e.name() + " added: " + e.profile());
            case UPDATED -> logger.info("profile " + e.name() + " updated: " + e.profile());
            case REMOVED -> logger.info("profile " + e.name() + " removed");
            case INVALID -> logger.error("profile " + e.name() + " is invalid: "
                    + e.problems().stream().map(ProfileProblem::toString).collect(Collectors.joining("; "))
                    + (e.profile() == null ? "" : " (the previous valid version stays in use)"));
        }
    }

    /** {@code office} for PID {@code org.mobilevpn.profile~office} (FileInstall's -office.cfg, named factory configs). */
    static String alias(String pid) {
        return pid != null && pid.startsWith(FACTORY_ALIAS_PREFIX) ? pid.substring(FACTORY_ALIAS_PREFIX.length()) : null;
    }
}
