package org.mobilevpn.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.fleet.sim.SimulatedDevice;

/**
 * The agent's decisions, driven message by message (onMessage runs in the test's thread): revisions,
 * rejections that name the key and change nothing, one owner per profile, withdrawal, commands with
 * MQTT 5 response topic and correlation data, and what the Last Will says.
 */
class FleetAgentTest {
    static final String GROUP = Topics.groupPolicy("office");
    static final String DEVICE = Topics.devicePolicy("gw-1");

    @TempDir
    Path dir;
    ScheduledExecutorService timer;
    FakeLink link;
    SimulatedDevice device;
    FleetAgent agent;

    @BeforeEach
    void start() throws Exception {
        timer = Executors.newSingleThreadScheduledExecutor();
        agent = agent(dir.resolve("revisions.json"));
    }

    FleetAgent agent(Path revisions) throws Exception {
        device = new SimulatedDevice(1);
        return agent(revisions, "office, lab");
    }

    FleetAgent agent(Path revisions, String groups) throws Exception {
        FleetSettings settings = FleetSettings.parse(Map.of("broker", "tcp://198.51.100.3:1883", "allow_plain", "true",
                "device_id", "gw-1", "groups", groups), dir);
        link = new FakeLink();
        FleetAgent a = new FleetAgent(settings, link, device, device, null, new AppliedRevisions(revisions), null,
                Runnable::run, timer, Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC),
                FleetLog.stderr("[test] ", false));
        a.start();
        link.connected = true;
        return a;
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    static byte[] doc(long revision, String... profiles) {
        StringBuilder s = new StringBuilder("{\"revision\": " + revision + ", \"profiles\": {");
        for (int i = 0; i < profiles.length; i++) {
            s.append(i == 0 ? "" : ", ").append('"').append(profiles[i]).append("\": {\"remote_addrs\": \"198.51.100.1\", \"psk\": \"s3cret-psk\"}");
        }
        return s.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> connections(Map<String, Object> state) {
        return (List<Map<String, Object>>) state.get("connections");
    }

    @Test
    void subscribesToItsOwnAndItsGroupsTopicsOnly() {
        assertEquals(List.of(DEVICE, GROUP, Topics.groupPolicy("lab"), Topics.command("gw-1")), agent.subscriptions());
    }

    @Test
    void aNewerRevisionIsAppliedAnOlderOrEqualOneIgnored() {
        agent.onMessage(GROUP, doc(5, "office"), null, null);
        assertEquals(5L, agent.state(true).get("revision"));
        assertEquals(List.of("office"), device.list());

        agent.onMessage(GROUP, doc(4, "office", "old"), null, null);
        agent.onMessage(GROUP, doc(5, "office", "same"), null, null);
        assertEquals(List.of("office"), device.list(), "older and equal revisions change nothing");
        assertEquals(1, device.appliedDocuments());

        agent.onMessage(GROUP, doc(6, "office", "lab"), null, null);
        assertEquals(6L, agent.state(true).get("revision"));
        assertEquals(List.of("lab", "office"), device.list());
        assertEquals(Map.of(GROUP, 6L), agent.state(true).get("documents"));
    }

    @Test
    void theAppliedRevisionSurvivesARestart() throws Exception {
        agent.onMessage(GROUP, doc(7, "office"), null, null);
        FleetAgent again = agent(dir.resolve("revisions.json"));
        again.onMessage(GROUP, doc(6, "office", "stale"), null, null);
        assertEquals(List.of(), device.list(), "the restarted agent knows 7 is applied: 6 is not taken");
        assertEquals(7L, again.state(true).get("revision"));
        again.onMessage(GROUP, doc(8, "office"), null, null);
        assertEquals(List.of("office"), device.list());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInvalidDocumentIsRejectedWithTheKeyAndChangesNothing() {
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        agent.onMessage(GROUP, "{\"revision\": 2, \"profiles\": {\"office\": {\"remote_addrs\": \"300.1.1.1\"}}}"
                .getBytes(StandardCharsets.UTF_8), null, null);
        Map<String, Object> state = agent.state(true);
        assertEquals(1L, state.get("revision"), "still the last good revision");
        Map<String, Object> rejected = (Map<String, Object>) state.get("rejected");
        assertEquals(2L, rejected.get("revision"));
        assertEquals(GROUP, rejected.get("topic"));
        Map<String, Object> error = ((List<Map<String, Object>>) rejected.get("errors")).get(0);
        assertEquals("profiles.office.remote_addrs", error.get("key"));
        assertEquals("office", error.get("profile"));
        assertEquals("CONNECTED", connections(state).get(0).get("state"), "the running connection is untouched");

        agent.onMessage(GROUP, doc(3, "office"), null, null);
        assertNull(agent.state(true).get("rejected"), "a newer good revision clears the rejection");
    }

    @Test
    @SuppressWarnings("unchecked")
    void envelopeProblemsNameTheirKey() {
        agent.onMessage(GROUP, "{\"profiles\": {}}".getBytes(StandardCharsets.UTF_8), null, null);
        Map<String, Object> r = (Map<String, Object>) agent.state(true).get("rejected");
        assertNull(r.get("revision"));
        assertEquals("revision", ((List<Map<String, Object>>) r.get("errors")).get(0).get("key"));
        agent.onMessage(GROUP, "{\"revision\": 1.5}".getBytes(StandardCharsets.UTF_8), null, null);
        agent.onMessage(GROUP, "not json".getBytes(StandardCharsets.UTF_8), null, null);
        r = (Map<String, Object>) agent.state(true).get("rejected");
        assertTrue(String.valueOf(r.get("errors")).contains("no signer certificate is configured"), r.toString());
        agent.onMessage(GROUP, "{\"revision\": 1, \"revision\": 2}".getBytes(StandardCharsets.UTF_8), null, null);
        r = (Map<String, Object>) agent.state(true).get("rejected");
        assertTrue(String.valueOf(r.get("errors")).contains("Duplicate"), r.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aProfileBelongsToOneDocument() {
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        agent.onMessage(DEVICE, doc(1, "office"), null, null);
        Map<String, Object> r = (Map<String, Object>) agent.state(true).get("rejected");
        assertEquals(DEVICE, r.get("topic"));
        assertTrue(String.valueOf(r.get("errors")).contains("is already defined by " + GROUP), r.toString());
        agent.onMessage(DEVICE, "{\"revision\": 2, \"delete\": [\"office\"]}".getBytes(StandardCharsets.UTF_8), null, null);
        assertEquals(List.of("office"), device.list(), "a device document cannot delete the group's profile");
        agent.onMessage(DEVICE, doc(3, "home"), null, null);
        assertEquals(List.of("home", "office"), device.list());
    }

    @Test
    void anEmptyRetainedMessageWithdrawsTheDocument() {
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        agent.onMessage(DEVICE, doc(1, "home"), null, null);
        agent.onMessage(GROUP, new byte[0], null, null);
        assertEquals(List.of("home"), device.list());
        assertEquals(Map.of(DEVICE, 1L), agent.state(true).get("documents"));
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        assertEquals(List.of("home", "office"), device.list(), "after withdrawal revision 1 is new again");
    }

    @Test
    void leavingAGroupWithdrawsItsDocumentAtTheNextStart() throws Exception {
        agent.onMessage(GROUP, doc(9, "office"), null, null);
        agent.onMessage(Topics.groupPolicy("lab"), doc(3, "lab"), null, null);
        agent.stop();
        FleetAgent moved = agent(dir.resolve("revisions.json"), "lab"); // the same device, no longer in office
        assertEquals(List.of("lab"), device.list());
        assertEquals(Map.of(Topics.groupPolicy("lab"), 3L), moved.state(true).get("documents"));
        assertEquals(3L, moved.state(true).get("revision"), "the old group's revision 9 no longer counts");
    }

    @Test
    void messagesOnTopicsNotOfThisDeviceAreIgnored() {
        agent.onMessage(Topics.groupPolicy("other"), doc(1, "x"), null, null);
        agent.onMessage(Topics.devicePolicy("gw-2"), doc(1, "y"), null, null);
        assertEquals(List.of(), device.list());
    }

    @Test
    @SuppressWarnings("unchecked")
    void commandsAnswerOnTheResponseTopicWithTheCorrelationData() throws Exception {
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        String response = Topics.responses("gw-1") + "/operator-1";
        byte[] correlation = {1, 2, 3};
        agent.onMessage(Topics.command("gw-1"), "{\"command\": \"down\", \"name\": \"office\"}".getBytes(StandardCharsets.UTF_8),
                response, correlation);
        FakeLink.Published answer = link.last(response);
        assertArrayEquals(correlation, answer.correlation());
        Map<String, Object> json = Json.object(answer.payload());
        assertEquals(true, json.get("ok"));
        assertEquals("DISABLED", ((Map<String, Object>) json.get("result")).get("state"));

        agent.onMessage(Topics.command("gw-1"), "{\"command\": \"up\"}".getBytes(StandardCharsets.UTF_8), response, correlation);
        json = Json.object(link.last(response).payload());
        assertEquals(false, json.get("ok"));
        assertEquals("name: missing: the connection to act on", json.get("error"));

        agent.onMessage(Topics.command("gw-1"), "{\"command\": \"status\"}".getBytes(StandardCharsets.UTF_8), response, null);
        json = Json.object(link.last(response).payload());
        assertEquals(1L, ((Map<String, Object>) json.get("result")).get("revision") instanceof Number n ? n.longValue() : -1);

        agent.onMessage(Topics.command("gw-1"), "{\"command\": \"reboot\"}".getBytes(StandardCharsets.UTF_8), response, null);
        assertTrue(link.last(response).text().contains("unknown command 'reboot'"));
        agent.onMessage(Topics.command("gw-1"), "{\"command\": \"deploy\"}".getBytes(StandardCharsets.UTF_8), response, null);
        assertTrue(link.last(response).text().contains("cannot deploy"), link.last(response).text());
    }

    @Test
    void aResponseTopicOutsideTheDevicesSubtreeIsRefused() throws Exception {
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        agent.onMessage(Topics.command("gw-1"), "{\"command\": \"down\", \"name\": \"office\"}".getBytes(StandardCharsets.UTF_8),
                Topics.responses("gw-2") + "/x", null);
        assertTrue(link.on(Topics.responses("gw-2") + "/x").isEmpty());
        assertTrue(link.last(Topics.responses("gw-1")).text().contains("outside this device's subtree"));
        assertEquals("CONNECTED", connections(agent.state(true)).get(0).get("state"), "the command was not run");
    }

    @Test
    void reloadAppliesTheLatestDocumentsAgain() {
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        device.withdraw("mqtt:" + GROUP); // someone removed the profile behind the agent's back
        assertEquals(List.of(), device.list());
        agent.onMessage(Topics.command("gw-1"), "{\"command\": \"reload\"}".getBytes(StandardCharsets.UTF_8), null, null);
        assertEquals(List.of("office"), device.list());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLastWillSaysOfflineWithTheRevisionAndStopPublishesOffline() throws Exception {
        agent.onMessage(GROUP, doc(4, "office"), null, null);
        BrokerLink.Will will = link.will.get();
        assertEquals(Topics.state("gw-1"), will.topic());
        assertTrue(will.retained());
        Map<String, Object> w = Json.object(will.payload());
        assertEquals(false, w.get("online"));
        assertEquals(4, ((Number) w.get("revision")).intValue());

        agent.stop();
        Map<String, Object> last = Json.object(link.last(Topics.state("gw-1")).payload());
        assertEquals(false, last.get("online"));
        assertEquals("CONNECTED", ((List<Map<String, Object>>) last.get("connections")).get(0).get("state"));
        assertTrue(link.closed);
        assertFalse(link.last(Topics.state("gw-1")).text().contains("s3cret-psk"), "no secret in the state");
    }

    @Test
    void aChangeWithoutAnEventIsPublishedByTheWatch() throws Exception {
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        awaitState(s -> s.contains("\"office\""));
        device.disconnect("office"); // no EventAdmin event reaches the agent here
        String state = awaitState(s -> s.contains("DISABLED"));
        assertTrue(state.contains("\"online\":true"), state);
    }

    String awaitState(java.util.function.Predicate<String> test) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L; // a bound for a loaded machine, not a timing claim
        while (System.nanoTime() < deadline) {
            FakeLink.Published p = link.last(Topics.state("gw-1"));
            if (p != null && test.test(p.text())) {
                return p.text();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such state published: " + link.last(Topics.state("gw-1")));
    }

    @Test
    void stateIsPublishedRetainedShortlyAfterAChange() throws Exception {
        agent.onMessage(GROUP, doc(1, "office"), null, null);
        long deadline = System.nanoTime() + 10_000_000_000L; // a bound for a loaded machine, not a timing claim
        while (link.last(Topics.state("gw-1")) == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        FakeLink.Published state = link.last(Topics.state("gw-1"));
        assertTrue(state.retained());
        assertEquals(1, state.qos());
        assertEquals(true, Json.object(state.payload()).get("online"));
        assertTrue(state.text().contains("\"rejected\":null"), "the contract's keys are there even when null: " + state.text());
    }
}
