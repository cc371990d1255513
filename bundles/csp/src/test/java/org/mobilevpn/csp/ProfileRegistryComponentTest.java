package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.profile.ProfileEvent.Kind;
import org.mobilevpn.api.profile.ProfileEvent;
import org.mobilevpn.api.profile.ProfileListener;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.TestLogger;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The registry as DS wires it, without a framework: configurations arrive through {@link ProfileStore}
 * (as {@link ProfileConfigurationFactory} delivers them), events go to a recording EventAdmin and
 * listeners; deliveries run on the calling thread so the order is checked without waiting.
 */
class ProfileRegistryComponentTest {
    static final String PID_A = "org.mobilevpn.profile~office";
    static final String PID_B = "org.mobilevpn.profile.7f3a";

    final List<Event> posted = new ArrayList<>();
    final List<ProfileEvent> heard = new ArrayList<>();
    ProfileRegistryComponent registry;

    @TempDir
    Path home;

    @BeforeEach
    void start() {
        registry = new ProfileRegistryComponent();
        registry.logger = new TestLogger();
        registry.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        };
        registry.bindListener(heard::add);
        registry.bindValidator(ProfileParserTest.VALIDATOR); // DS binds before activating
        registry.start(home, Runnable::run, Clock.systemUTC());
    }

    static Map<String, Object> config(String pid, Object... kv) {
        Map<String, Object> m = ProfileParserTest.office();
        m.put("service.pid", pid);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove((String) kv[i]);
            } else {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    /** The factory ConfigAdmin calls, in front of the registry under test (which some tests replace). */
    ProfileConfigurationFactory factory() {
        return new ProfileConfigurationFactory(registry);
    }

    /** ConfigAdmin delivering a new or changed configuration, through the real factory. */
    void configure(Map<String, Object> props) {
        factory().updated(String.valueOf(props.get("service.pid")), new Hashtable<>(props));
    }

    List<Kind> kinds() {
        return heard.stream().map(ProfileEvent::kind).toList();
    }

    @Test
    void aValidProfileIsAddedAndAnnounced() {
        configure(config(PID_A));
        assertEquals(List.of("office"), registry.profiles().stream().map(VpnProfile::name).toList());
        assertEquals(List.of(Kind.ADDED), kinds());
        assertEquals("org/mobilevpn/profile/ADDED", posted.get(0).getTopic());
        assertEquals("office", posted.get(0).getProperty("name"));
        assertTrue(registry.problems().isEmpty());
    }

    @Test
    void anInvalidNewProfileIsReportedAndNotRegistered() {
        configure(config(PID_A, "remote_addrs", "300.1.1.1", "psk", null));
        assertTrue(registry.profiles().isEmpty());
        assertEquals(List.of("remote_addrs", "psk"), ProfileParserTest.keys(registry.problems("office")));
        assertEquals(List.of(Kind.INVALID), kinds());
        Event e = posted.get(0);
        assertEquals("org/mobilevpn/profile/INVALID", e.getTopic());
        assertEquals("office", e.getProperty("name"));
        assertTrue(((String) e.getProperty("message")).contains("remote_addrs: '300.1.1.1' is not an IPv4 address"),
                (String) e.getProperty("message"));
        assertArrayEquals(new String[] {"remote_addrs", "psk"}, (String[]) e.getProperty("keys"));
    }

    @Test
    void anInvalidUpdateKeepsThePreviousValidVersion() {
        configure(config(PID_A));
        VpnProfile valid = registry.profile("office").orElseThrow();
        configure(config(PID_A, "esp_proposals", "aes256gcm16-foo"));
        assertEquals(valid, registry.profile("office").orElseThrow(), "the connection keeps its profile");
        assertEquals(List.of(Kind.ADDED, Kind.INVALID), kinds());
        assertEquals(valid, heard.get(1).profile(), "INVALID names the version still in use");
        assertEquals(List.of("esp_proposals"), ProfileParserTest.keys(registry.problems("office")));

        configure(config(PID_A, "esp_proposals", "chacha20poly1305"));
        assertEquals(List.of("chacha20poly1305"), registry.profile("office").orElseThrow().ike().espProposals());
        assertTrue(registry.problems().isEmpty(), "a valid update clears the problems");
        assertEquals(List.of(Kind.ADDED, Kind.INVALID, Kind.UPDATED), kinds());
    }

    @Test
    void anUpdateThatChangesNothingIsNoEvent() {
        configure(config(PID_A));
        configure(config(PID_A, "felix.fileinstall.filename", "file:/elsewhere"));
        assertEquals(List.of(Kind.ADDED), kinds());
    }

    @Test
    void aNameTakenByAnotherConfigurationIsAProblemUntilItIsFree() {
        configure(config(PID_A));
        configure(config(PID_B, "remote_addrs", "198.51.100.2"));
        assertEquals("198.51.100.1", registry.profile("office").orElseThrow().remoteAddrs().get(0).host());
        assertTrue(registry.problems("office").get(0).message().contains("already used by configuration " + PID_A + "; rename or delete " + PID_B),
                registry.problems().toString());

        factory().deleted(PID_A); // the holder's configuration is deleted: the waiting one takes the name over
        assertEquals("198.51.100.2", registry.profile("office").orElseThrow().remoteAddrs().get(0).host());
        assertTrue(registry.problems().isEmpty());
        assertEquals(List.of(Kind.ADDED, Kind.INVALID, Kind.REMOVED, Kind.ADDED), kinds());
    }

    @Test
    void renamingFreesTheOldName() {
        configure(config(PID_A));
        configure(config(PID_A, "name", "lab"));
        assertEquals(List.of("lab"), registry.profiles().stream().map(VpnProfile::name).toList());
        assertEquals(List.of(Kind.ADDED, Kind.REMOVED, Kind.ADDED), kinds());
        assertEquals("office", heard.get(1).name());
    }

    @Test
    void deletingAProfileRemovesItAndAnInvalidOnesProblems() {
        configure(config(PID_A));
        configure(config(PID_B, "name", "lab", "psk", null));
        assertEquals(1, registry.problems().size());
        factory().deleted(PID_A);
        factory().deleted(PID_B);
        assertTrue(registry.profiles().isEmpty() && registry.problems().isEmpty());
        assertEquals(List.of(Kind.ADDED, Kind.INVALID, Kind.REMOVED), kinds());
        assertEquals("org/mobilevpn/profile/REMOVED", posted.get(2).getTopic());
    }

    @Test
    void aConfigurationWithoutNameIsLabelledByItsPid() {
        configure(config(PID_B, "name", null, "psk", null));
        assertEquals(PID_B, registry.problems().get(0).profile());
        assertEquals(PID_B, heard.get(0).name());
    }

    @Test
    void theSecretNeverReachesEventsProblemsOrToString() {
        configure(config(PID_A));
        configure(config(PID_A, "psk", "0x" + "zz".repeat(8), "dpd_delay", "x")); // invalid update
        StringBuilder all = new StringBuilder();
        for (Event e : posted) {
            for (String k : e.getPropertyNames()) {
                Object v = e.getProperty(k);
                all.append(v instanceof String[] a ? String.join(",", a) : String.valueOf(v)).append('\n');
            }
        }
        heard.forEach(h -> all.append(h).append('\n'));
        all.append(registry.problems()).append(registry.profiles());
        assertFalse(all.toString().contains(ProfileParserTest.PSK), all.toString());
        assertFalse(all.toString().contains("zzzz"), all.toString());
    }

    @Test
    void aListenerFirstHearsTheProfilesThatExist() {
        configure(config(PID_A));
        List<ProfileEvent> late = new ArrayList<>();
        ProfileListener l = late::add;
        registry.bindListener(l);
        assertEquals(List.of(Kind.ADDED), late.stream().map(ProfileEvent::kind).toList());
        registry.unbindListener(l);
        configure(config(PID_B, "name", "lab"));
        assertEquals(1, late.size(), "no events after unbind");
    }

    @Test
    void aFailingListenerOrEventAdminDoesNotStopOthers() {
        registry.bindListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        List<ProfileEvent> after = new ArrayList<>();
        registry.bindListener(after::add);
        registry.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                throw new SecurityException("no permission");
            }

            @Override
            public void sendEvent(Event event) {
            }
        };
        configure(config(PID_A));
        assertEquals(1, after.size());
        assertTrue(registry.profile("office").isPresent());
    }

    @Test
    void aValidatorArrivingLaterChecksTheProfilesAgain() {
        registry = new ProfileRegistryComponent();
        registry.logger = new TestLogger();
        registry.bindListener(heard::add);
        registry.start(home, Runnable::run, Clock.systemUTC());
        configure(config(PID_A, "esp_proposals", "aes256gcm16"));
        configure(config(PID_B, "name", "lab", "esp_proposals", "foo256"));
        assertEquals(2, registry.profiles().size(), "without the validator only syntax is checked");

        registry.bindValidator(ProfileParserTest.VALIDATOR);
        assertEquals(List.of("esp_proposals"), ProfileParserTest.keys(registry.problems("lab")));
        assertTrue(registry.profile("lab").isPresent(), "a valid version stays until a valid update");
        assertEquals(List.of(Kind.ADDED, Kind.ADDED, Kind.INVALID), kinds());

        configure(config("org.mobilevpn.profile~new", "name", "new", "esp_proposals", "foo256"));
        assertTrue(registry.profile("new").isEmpty(), "new profiles are checked with the validator");
    }

    @Test
    void changesWhileShuttingDownAreNotDeliveredAndDoNotFail() {
        java.util.concurrent.ExecutorService stopped = java.util.concurrent.Executors.newSingleThreadExecutor();
        stopped.shutdown();
        List<String> errors = new ArrayList<>();
        registry = new ProfileRegistryComponent();
        registry.logger = errorRecorder(errors);
        registry.bindListener(heard::add);
        registry.start(home, stopped, Clock.systemUTC());
        configure(config(PID_A));
        factory().deleted(PID_A);
        assertTrue(heard.isEmpty());
        assertEquals(List.of(), errors);
    }

    /** A Logger that records error lines; other levels are ignored. */
    static org.osgi.service.log.Logger errorRecorder(List<String> errors) {
        return (org.osgi.service.log.Logger) java.lang.reflect.Proxy.newProxyInstance(ProfileRegistryComponentTest.class.getClassLoader(),
                new Class<?>[] {org.osgi.service.log.Logger.class}, (proxy, method, args) -> {
                    if (method.getName().equals("error")) {
                        errors.add(String.valueOf(args[0]));
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
    }

    @Test
    void nothingThrowsOutOfTheComponent() {
        Hashtable<String, Object> garbage = new Hashtable<>();
        garbage.put("service.pid", PID_A);
        garbage.put("remote_addrs", new Object());
        garbage.put("psk", new byte[] {1, 2});
        garbage.put("local_ts", Map.of());
        configure(garbage);
        configure(Map.of());
        registry.deleted("never-configured");
        registry.deleted(null);
        assertNull(registry.profile("office").orElse(null));
        assertFalse(registry.problems().isEmpty());
    }
}
