package org.mobilevpn.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.PolicyDocumentOutcome;
import org.mobilevpn.api.profile.PolicyDocuments;
import org.mobilevpn.api.profile.ProfileProblem;

/**
 * The device side of fleet management (docs/fleet.md), free of OSGi so the simulator runs a thousand of
 * them in one JVM: subscribes to its own and its groups' policy topics and to its command topic, applies
 * desired documents through the CSP's all-or-nothing path, and keeps its reported state (retained, with a
 * Last Will that says offline) current. All its work runs on one serial executor, so its fields need no
 * locks; the broker link and EventAdmin only hand work to it.
 *
 * <p>Desired documents: each policy topic is its own document (source {@code mqtt:<topic>}), so a group's
 * profiles belong to the group document and a device document cannot silently take them over: a
 * document that defines or deletes a profile another of this device's documents defines is rejected.
 * A document whose revision is not newer than the one applied from its topic is ignored; an empty
 * retained message (the operator cleared the topic) withdraws the document's profiles.
 */
public final class FleetAgent {
    /** Connection events and state changes arrive in bursts; one state message per burst. */
    static final Duration STATE_DEBOUNCE = Duration.ofMillis(300);
    /**
     * How often the state is compared with the one last published. Not every change has an event (a
     * profile a document created appears as a DISABLED connection a moment after the document is applied).
     */
    static final Duration STATE_WATCH = Duration.ofSeconds(2);

    private final FleetSettings settings;
    private final BrokerLink link;
    private final PolicyDocuments documents;
    private final VpnManager vpn;
    private final BundleDeployer deployer;
    private final AppliedRevisions revisions;
    private final PublicKey signer;
    private final Executor serial;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final FleetLog log;
    private final Commands commands;

    /** The profile names each applied document defines, to refuse another document taking them over. */
    private final Map<String, Set<String>> namesByTopic = new HashMap<>();
    /** The latest payload of each policy topic (for {@code reload}). */
    private final Map<String, byte[]> latest = new LinkedHashMap<>();
    private StateDocument.Rejection rejected;
    private ScheduledFuture<?> statePending;
    private ScheduledFuture<?> periodic;
    private ScheduledFuture<?> watch;
    /** What the last published state said, without time and counters. */
    private String lastPublished;
    private boolean stopped;

    /**
     * @param deployer null where bundles cannot be deployed (the simulator)
     * @param signer   the operator's key, or null
     * @param serial   runs the agent's work one task at a time
     * @param timer    delays (state debounce, periodic state); the tasks go through {@code serial}
     */
    public FleetAgent(FleetSettings settings, BrokerLink link, PolicyDocuments documents, VpnManager vpn,
            BundleDeployer deployer, AppliedRevisions revisions, PublicKey signer, Executor serial,
            ScheduledExecutorService timer, Clock clock, FleetLog log) {
        this.settings = settings;
        this.link = link;
        this.documents = documents;
        this.vpn = vpn;
        this.deployer = deployer;
        this.revisions = revisions;
        this.signer = signer;
        this.serial = serial;
        this.timer = timer;
        this.clock = clock;
        this.log = log;
        this.commands = new Commands(this);
    }

    /**
     * Starts connecting; the runtime goes on without the broker until it answers. Documents of topics this
     * device no longer reads (it left a group, or its id changed) are withdrawn first.
     */
    public void start() {
        run(this::forgetTopicsNoLongerRead);
        link.start(new LinkListener(), this::lastWill);
        long every = Math.max(1000, settings.stateInterval().toMillis());
        periodic = timer.scheduleWithFixedDelay(() -> run(this::publishState), every, every, TimeUnit.MILLISECONDS);
        watch = timer.scheduleWithFixedDelay(() -> run(this::publishIfChanged), STATE_WATCH.toMillis(),
                STATE_WATCH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Publishes the offline state and disconnects cleanly; waits for it (at most a few seconds). */
    public void stop() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        serial.execute(() -> {
            stopped = true;
            if (periodic != null) {
                periodic.cancel(false);
                watch.cancel(false);
            }
            if (statePending != null) {
                statePending.cancel(false);
            }
            if (link.connected()) {
                publish(Topics.state(settings.deviceId()), stateJson(false), 1, true, null);
            }
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("the fleet agent did not finish its last state in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.close();
    }

    /** An EventAdmin connection event: forwarded to {@code .../events}, and the state follows shortly. */
    public void connectionEvent(Map<String, Object> event) {
        run(() -> {
            if (stopped) {
                return;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("time", clock.instant().toString());
            e.putAll(event);
            if (link.connected()) {
                publish(Topics.events(settings.deviceId()), Json.write(e).getBytes(StandardCharsets.UTF_8), 1, false, null);
            }
            stateSoon();
        });
    }

    /** Hands work to the serial executor; after {@link #stop()} (executor shut down) there is nothing to do. */
    private void run(Runnable task) {
        try {
            serial.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped: events and messages that arrive during shutdown are dropped
        }
    }

    private void forgetTopicsNoLongerRead() {
        List<String> read = subscriptions();
        for (String topic : revisions.all().keySet()) {
            if (!read.contains(topic)) {
                PolicyDocumentOutcome out = documents.withdraw("mqtt:" + topic);
                log.info("policy " + topic + " is no longer this device's: withdrawn " + out.changes());
                if (out.applied()) {
                    forget(topic);
                }
            }
        }
    }

    FleetSettings settings() {
        return settings;
    }

    VpnManager vpn() {
        return vpn;
    }

    BundleDeployer deployer() {
        return deployer;
    }

    PublicKey signer() {
        return signer;
    }

    Clock clock() {
        return clock;
    }

    FleetLog log() {
        return log;
    }

    /** The topics this device reads: its policy and command topics and its groups' policies. */
    List<String> subscriptions() {
        List<String> topics = new ArrayList<>();
        topics.add(Topics.devicePolicy(settings.deviceId()));
        settings.groups().forEach(g -> topics.add(Topics.groupPolicy(g)));
        topics.add(Topics.command(settings.deviceId()));
        return topics;
    }

    private BrokerLink.Will lastWill() {
        return new BrokerLink.Will(Topics.state(settings.deviceId()), stateJsonForWill(), true);
    }

    /** The Last Will is fixed at connect time: the state then, offline, without connections (unknown by then). */
    private byte[] stateJsonForWill() {
        Map<String, Object> m = StateDocument.build(settings.deviceId(), settings.groups(), false, revisions.highest(),
                revisions.all(), rejected, List.of(), clock.instant());
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    private void onConnected(String broker) {
        if (stopped) {
            return;
        }
        log.info("connected to " + broker + " as " + settings.deviceId());
        try {
            link.subscribe(subscriptions());
        } catch (BrokerLink.LinkException e) {
            log.error(e.getMessage());
        }
        publishState();
    }

    void onMessage(String topic, byte[] payload, String responseTopic, byte[] correlation) {
        if (stopped) {
            return;
        }
        if (topic.equals(Topics.command(settings.deviceId()))) {
            commands.handle(payload, responseTopic, correlation);
        } else if (subscriptions().contains(topic) && topic.endsWith("/policy")) {
            latest.put(topic, payload);
            policy(topic, payload, false);
        } else {
            log.warn("ignored a message on " + topic + ": not a topic of this device");
        }
    }

    /**
     * One desired document.
     *
     * @param force apply even at the revision already applied ({@code reload})
     * @return whether the device now runs this document (applied, or already applied)
     */
    boolean policy(String topic, byte[] payload, boolean force) {
        String source = "mqtt:" + topic;
        if (payload.length == 0) {
            if (revisions.get(topic) != null || namesByTopic.containsKey(topic)) {
                PolicyDocumentOutcome out = documents.withdraw(source);
                if (out.applied()) {
                    forget(topic);
                    log.info("policy " + topic + " cleared: " + out.changes());
                } else {
                    reject(topic, -1, out.problems());
                }
                stateSoon();
            }
            return true;
        }
        PolicyMessage message;
        try {
            message = PolicyMessage.parse(payload, settings.requireSigned(), signer);
        } catch (PolicyMessage.InvalidMessageException e) {
            reject(topic, -1, List.of(new ProfileProblem("", e.key(), e.getMessage())));
            stateSoon();
            return false;
        }
        Long current = revisions.get(topic);
        if (current != null && (message.revision() < current || (message.revision() == current && !force))) {
            if (message.revision() < current) {
                log.info("policy " + topic + " revision " + message.revision() + " ignored: revision " + current + " is applied");
            }
            return message.revision() == current;
        }
        List<ProfileProblem> conflicts = conflicts(topic, message);
        if (!conflicts.isEmpty()) {
            reject(topic, message.revision(), conflicts);
            stateSoon();
            return false;
        }
        PolicyDocumentOutcome out = documents.apply(source, message.document());
        if (out.applied()) {
            try {
                revisions.put(topic, message.revision());
            } catch (IOException e) {
                log.error("cannot keep the applied revision of " + topic + ": " + e.getMessage());
            }
            namesByTopic.put(topic, message.names());
            if (rejected != null && rejected.topic().equals(topic)) {
                rejected = null;
            }
            log.info("policy " + topic + " revision " + message.revision() + " applied"
                    + (message.signed() ? " (signature verified)" : "") + ": "
                    + (out.changes().isEmpty() ? "no changes" : String.join(", ", out.changes())));
        } else {
            reject(topic, message.revision(), out.problems());
        }
        stateSoon();
        return out.applied();
    }

    /** Applies the latest document of every policy topic again, even at the same revision. */
    Map<String, Object> reload() {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : new ArrayList<>(latest.entrySet())) {
            result.put(e.getKey(), policy(e.getKey(), e.getValue(), true) ? "applied" : "rejected");
        }
        return result;
    }

    private List<ProfileProblem> conflicts(String topic, PolicyMessage message) {
        List<ProfileProblem> problems = new ArrayList<>();
        for (Map.Entry<String, Set<String>> other : namesByTopic.entrySet()) {
            if (other.getKey().equals(topic)) {
                continue;
            }
            for (String name : other.getValue()) {
                if (message.names().contains(name)) {
                    problems.add(new ProfileProblem(name, "profiles." + name, "is already defined by " + other.getKey()
                            + ": a profile belongs to one document"));
                }
                if (message.deletes().contains(name)) {
                    problems.add(new ProfileProblem(name, "delete", "'" + name + "' belongs to " + other.getKey()
                            + ": only that document can remove it"));
                }
            }
        }
        return problems;
    }

    private void forget(String topic) {
        namesByTopic.remove(topic);
        try {
            revisions.remove(topic);
        } catch (IOException e) {
            log.error("cannot forget the applied revision of " + topic + ": " + e.getMessage());
        }
        if (rejected != null && rejected.topic().equals(topic)) {
            rejected = null;
        }
    }

    private void reject(String topic, long revision, List<ProfileProblem> problems) {
        rejected = new StateDocument.Rejection(topic, revision, problems, clock.instant());
        log.error("policy " + topic + (revision >= 0 ? " revision " + revision : "") + " rejected, nothing applied: "
                + problems.stream().map(ProfileProblem::toString).reduce((a, b) -> a + "; " + b).orElse(""));
    }

    /** The state as a map (also the answer to {@code status}). */
    Map<String, Object> state(boolean online) {
        return StateDocument.build(settings.deviceId(), settings.groups(), online, revisions.highest(), revisions.all(),
                rejected, vpn.statusAll(), clock.instant());
    }

    private byte[] stateJson(boolean online) {
        return Json.write(state(online)).getBytes(StandardCharsets.UTF_8);
    }

    void stateSoon() {
        if (stopped || (statePending != null && !statePending.isDone())) {
            return;
        }
        statePending = timer.schedule(() -> run(this::publishState), STATE_DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void publishState() {
        if (stopped || !link.connected()) {
            return;
        }
        Map<String, Object> state = state(true);
        lastPublished = fingerprint(state);
        publish(Topics.state(settings.deviceId()), Json.write(state).getBytes(StandardCharsets.UTF_8), 1, true, null);
    }

    private void publishIfChanged() {
        if (!stopped && link.connected() && !fingerprint(state(true)).equals(lastPublished)) {
            publishState();
        }
    }

    /** The state without what changes all the time (time, counters, uptime). */
    @SuppressWarnings("unchecked")
    private static String fingerprint(Map<String, Object> state) {
        Map<String, Object> m = new LinkedHashMap<>(state);
        m.remove("time");
        List<Object> connections = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) state.get("connections")) {
            Map<String, Object> copy = new LinkedHashMap<>(c);
            copy.keySet().removeIf(k -> k.startsWith("bytes_") || k.startsWith("packets_") || k.equals("uptime_seconds"));
            connections.add(copy);
        }
        m.put("connections", connections);
        return Json.write(m);
    }

    void publish(String topic, byte[] payload, int qos, boolean retained, byte[] correlation) {
        try {
            link.publish(topic, payload, qos, retained, correlation);
        } catch (BrokerLink.LinkException e) {
            log.warn(e.getMessage());
        }
    }

    private final class LinkListener implements BrokerLink.Listener {
        @Override
        public void connected(String brokerUri) {
            run(() -> onConnected(brokerUri));
        }

        @Override
        public void disconnected(String reason) {
            run(() -> log.warn("broker connection lost (" + reason + "); the runtime goes on, reconnecting"));
        }

        @Override
        public void message(String topic, byte[] payload, boolean retained, String responseTopic, byte[] correlation) {
            run(() -> onMessage(topic, payload, responseTopic, correlation));
        }
    }
}
