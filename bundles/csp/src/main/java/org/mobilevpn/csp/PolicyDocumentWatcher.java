package org.mobilevpn.csp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.mobilevpn.api.profile.ProfileEvent;
import org.mobilevpn.api.profile.ProfileProblem;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Watches one policy document file (default {@code etc/mobilevpn-policy.json}) and applies it when its
 * content changes; when the file disappears, the profiles it created are deleted, as FileInstall does
 * for a removed {@code .cfg}. A small poller rather than FileInstall: FileInstall's etc/ watcher only
 * passes {@code .cfg}/{@code .config} files, and the document must be applied all or nothing anyway.
 * A rejected document is logged, posted as {@code org/mobilevpn/profile/INVALID} (name = the profile,
 * or the file name for a document-wide problem; property {@code source} = the path) and listed among
 * the registry's problems until a valid version replaces it.
 */
@Component(configurationPid = PolicyDocumentWatcher.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PolicyDocumentWatcher.Config.class)
public final class PolicyDocumentWatcher {
    /** Not org.mobilevpn.policy: that is the Policy Manager's own PID. */
    static final String PID = "org.mobilevpn.csp.policydocument";
    /**
     * A bigger file cannot be within the reader's {@link BoundedJsonReader#MAX_CHARS} characters (UTF-8
     * takes at most 4 bytes per character), so it is rejected without being read whole.
     */
    static final int MAX_SIZE = 4 * BoundedJsonReader.MAX_CHARS;

    @ObjectClassDefinition(name = "mobilevpn policy document",
            description = "A JSON file holding several VPN profiles, applied all or nothing.")
    @interface Config {
        @AttributeDefinition(name = "path", description = "The document; relative to the runtime directory.")
        String path() default "etc/mobilevpn-policy.json";

        @AttributeDefinition(name = "poll", description = "How often the file is checked for changes (1s, 30s, 5m).")
        String poll() default "2s";
    }

    private Path file;
    private PolicyDocumentApplier applier;
    private ScheduledExecutorService executor;
    /** Digest of the content last applied (or rejected); null when no document is in effect. */
    private byte[] lastDigest;
    private boolean firstPoll = true;

    @Reference
    ConfigurationAdmin configAdmin;

    @Reference
    ProfileStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Reference(service = LoggerFactory.class)
    Logger logger;

    /** For DS. */
    public PolicyDocumentWatcher() {
    }

    /** Without a thread: tests call {@link #poll()} themselves. */
    PolicyDocumentWatcher(Path file, PolicyDocumentApplier applier, ProfileStore store) {
        this.file = file;
        this.applier = applier;
        this.store = store;
    }

    @Activate
    void activate(BundleContext context, Config config) {
        file = resolve(context.getProperty(ProfileRegistryComponent.HOME_PROPERTY), config.path());
        applier = new PolicyDocumentApplier(configAdmin, store);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mobilevpn-policy-document");
            t.setDaemon(true);
            return t;
        });
        long every = pollInterval(config.poll()).toMillis();
        executor.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Looks at the file once; applies or withdraws when it changed. Never throws. */
    synchronized void poll() {
        try {
            boolean first = firstPoll;
            firstPoll = false;
            if (!Files.exists(file)) {
                if (lastDigest != null || first) {
                    withdraw(first);
                }
                return;
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes(MAX_SIZE + 1);
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            if (Arrays.equals(digest, lastDigest)) {
                return;
            }
            KeyFilePermissions.check("policy document", file).ifPresent(w -> logger.warn(w));
            if (content.length > MAX_SIZE) {
                reject(List.of(new ProfileProblem("", "(document)", "exceeds a limit: the file has more than " + MAX_SIZE
                        + " bytes, a policy document at most " + BoundedJsonReader.MAX_CHARS + " characters")));
                lastDigest = digest;
                return;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(content)).toString();
            } catch (CharacterCodingException e) {
                reject(List.of(new ProfileProblem("", "(document)", "is not UTF-8 text")));
                lastDigest = digest;
                return;
            }
            PolicyDocumentApplier.Outcome outcome = applier.apply(file.toString(), text);
            if (outcome.applied()) {
                lastDigest = digest;
                store.documentProblems(file.toString(), List.of());
                logger.info("policy document " + file + " applied: "
                        + (outcome.changes().isEmpty() ? "no changes" : String.join(", ", outcome.changes())));
            } else {
                boolean configAdminFailed = outcome.problems().stream().anyMatch(p -> p.message().contains("ConfigurationAdmin failed"));
                if (!configAdminFailed) {
                    lastDigest = digest; // the same content stays invalid; a ConfigAdmin failure is retried
                }
                reject(outcome.problems());
            }
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            logger.error("policy document " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private void withdraw(boolean atStart) {
        PolicyDocumentApplier.Outcome outcome = applier.withdraw(file.toString());
        if (outcome.applied()) {
            lastDigest = null;
            store.documentProblems(file.toString(), List.of());
            if (!outcome.changes().isEmpty()) {
                logger.info("policy document " + file + (atStart ? " is absent" : " was removed") + ": "
                        + String.join(", ", outcome.changes()));
            }
        } else {
            reject(outcome.problems());
        }
    }

    private void reject(List<ProfileProblem> problems) {
        store.documentProblems(file.toString(), problems);
        logger.error("policy document " + file + " rejected, nothing applied: "
                + problems.stream().map(ProfileProblem::toString).collect(Collectors.joining("; ")));
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        Map<String, List<ProfileProblem>> byProfile = problems.stream().collect(Collectors.groupingBy(
                p -> p.profile().isEmpty() ? file.getFileName().toString() : p.profile(), java.util.LinkedHashMap::new,
                Collectors.toList()));
        byProfile.forEach((name, list) -> {
            Map<String, Object> props = new HashMap<>();
            props.put("name", name);
            props.put("kind", ProfileEvent.Kind.INVALID.name());
            props.put("source", file.toString());
            props.put("message", list.stream().map(ProfileProblem::toString).collect(Collectors.joining("; ")));
            props.put("keys", list.stream().map(ProfileProblem::key).distinct().toArray(String[]::new));
            try {
                admin.postEvent(new Event(ProfileEvent.TOPIC_PREFIX + ProfileEvent.Kind.INVALID, props));
            } catch (RuntimeException e) {
                logger.error("EventAdmin refused the policy document event: " + e);
            }
        });
    }

    private static Path resolve(String home, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : Path.of(home == null ? System.getProperty("user.dir") : home).resolve(p).normalize();
    }

    /** The configured interval, at least one second; a bad value falls back to the default. */
    static Duration pollInterval(String text) {
        try {
            Duration d = DurationParser.parse(text);
            return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
        } catch (IllegalArgumentException e) {
            return Duration.ofSeconds(2);
        }
    }
}
