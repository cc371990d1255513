package org.mobilevpn.systemtests.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.mobilevpn.fleet.Json;
import org.mobilevpn.fleet.Topics;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.MosquittoBroker;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.TestPki;

/**
 * The fleet's infrastructure for system tests: a test PKI, a Mosquitto broker with the ACL of docs/fleet.md,
 * the operator's credentials and CLI ({@code bin/mobilevpn-fleet}, run in the broker's namespace), and
 * devices provisioned the way an installer would: credential files, then {@code etc/org.mobilevpn.fleet.cfg}.
 */
final class FleetHarness {
    static final String OPERATOR = "operator";

    final TestPki pki;
    final Netns brokerNs;
    final String brokerAddress;
    final Path dir;
    final Path operatorConfig;
    final TestPki.Credential operator;
    final Map<String, TestPki.Credential> devices = new LinkedHashMap<>();
    MosquittoBroker broker;

    FleetHarness(TestPki pki, Netns brokerNs, String brokerAddress, Path dir) {
        this.pki = pki;
        this.brokerNs = brokerNs;
        this.brokerAddress = brokerAddress;
        this.dir = dir;
        operator = pki.issue(OPERATOR, TestPki.KeyType.ECDSA_P256, "clientAuth");
        operatorConfig = dir.resolve("operator.cfg");
        write(operatorConfig, "broker = ssl://" + brokerAddress + ":" + MosquittoBroker.TLS_PORT + "\nca = " + pki.rootCertificate()
                + "\ncert = " + operator.certificate() + "\nkey = " + pki.pkcs8(operator) + "\n");
    }

    /**
     * The broker's ACL as docs/fleet.md gives it: the operator everything under mobilevpn/; each device its
     * own policy and command topics to read, its state, events and responses to write, and the policy of
     * its own groups to read. Nothing else: a device cannot read or write another device's topics.
     */
    static String acl(Map<String, List<String>> groupsByDevice) {
        StringBuilder a = new StringBuilder("""
                pattern read mobilevpn/v1/device/%u/policy
                pattern read mobilevpn/v1/device/%u/command
                pattern write mobilevpn/v1/device/%u/state
                pattern write mobilevpn/v1/device/%u/events
                pattern write mobilevpn/v1/device/%u/response/#

                user operator
                topic readwrite mobilevpn/#
                """);
        groupsByDevice.forEach((device, groups) -> {
            a.append("\nuser ").append(device).append('\n');
            groups.forEach(g -> a.append("topic read ").append(Topics.groupPolicy(g)).append('\n'));
        });
        return a.toString();
    }

    /** Starts the TLS broker for these devices (a certificate for the broker's address, the ACL above). */
    MosquittoBroker startBroker(Map<String, List<String>> groupsByDevice) {
        for (String device : groupsByDevice.keySet()) {
            devices.put(device, pki.issue(device, TestPki.KeyType.ECDSA_P256, "clientAuth"));
        }
        broker = MosquittoBroker.startTls(brokerNs, dir.resolve("broker"), brokerAddress, pki,
                pki.issue(brokerAddress, TestPki.KeyType.ECDSA_P256, "serverAuth"), acl(groupsByDevice));
        return broker;
    }

    /**
     * Provisions a runtime as device {@code id} as README.md says: its certificate, key and the CA in the
     * default places {@code etc/fleet/cert.pem}, {@code key.pem}, {@code ca.pem} (a group policy's pubkey
     * profile names the same files), then the three lines of the fleet configuration, atomically.
     */
    void provision(RuntimeProcess runtime, String id, List<String> groups) {
        TestPki.Credential c = devices.get(id);
        try {
            Path etc = runtime.etc().resolve("fleet");
            Files.createDirectories(etc);
            Files.copy(c.certificate(), etc.resolve("cert.pem"));
            Files.copy(c.privateKey(), etc.resolve("key.pem"));
            Files.copy(pki.rootCertificate(), etc.resolve("ca.pem"));
            Path draft = runtime.etc().resolve("fleet.draft");
            write(draft, "broker = ssl://" + brokerAddress + ":" + MosquittoBroker.TLS_PORT + "\ndevice_id = " + id + "\ngroups = "
                    + String.join(",", groups) + "\n");
            RuntimeProcess.replaceAtomically(draft, runtime.etc().resolve("org.mobilevpn.fleet.cfg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code bin/mobilevpn-fleet --config operator.cfg ARGS} of {@code dist} in the broker's namespace. */
    CommandResult operator(Path dist, String... args) {
        List<String> argv = new ArrayList<>(List.of(dist.resolve("bin/mobilevpn-fleet").toString(), "--config", operatorConfig.toString()));
        argv.addAll(List.of(args));
        return brokerNs.exec(Duration.ofMinutes(3), argv.toArray(String[]::new));
    }

    /** The device's retained state as the operator reads it, or null. */
    Map<String, Object> state(Path dist, String device) {
        CommandResult r = operator(dist, "state", device);
        if (!r.ok()) {
            return null;
        }
        try {
            return Json.object(r.stdout().strip().getBytes(StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw new AssertionError("state of " + device + " is not JSON: " + r.stdout(), e);
        }
    }

    /** Polls the device's state until {@code test} holds; fails with the last state. */
    Map<String, Object> awaitState(Path dist, String device, Predicate<Map<String, Object>> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> last = null;
        while (System.nanoTime() < deadline) {
            last = state(dist, device);
            if (last != null && test.test(last)) {
                return last;
            }
            sleep(1000);
        }
        throw new AssertionError(device + " never reported the expected state; last: " + last);
    }

    /** Runs {@code mosquitto_sub} as device {@code id} (its own certificate) or the operator for a few seconds; returns what it received. */
    CommandResult subscribeAs(String id, String filter, int seconds) {
        TestPki.Credential c = id.equals(OPERATOR) ? operator : devices.get(id);
        return brokerNs.exec(Duration.ofSeconds(seconds + 30), "mosquitto_sub", "-V", "mqttv5", "-h", brokerAddress, "-p",
                String.valueOf(MosquittoBroker.TLS_PORT), "--cafile", pki.rootCertificate().toString(), "--cert",
                c.certificate().toString(), "--key", c.privateKey().toString(), "-i", id + "-probe", "-t", filter, "-v", "-W",
                String.valueOf(seconds));
    }

    /** Runs {@code mosquitto_pub} as device {@code id}. */
    CommandResult publishAs(String id, String topic, String message, boolean retained) {
        TestPki.Credential c = devices.get(id);
        List<String> argv = new ArrayList<>(List.of("mosquitto_pub", "-V", "mqttv5", "-h", brokerAddress, "-p",
                String.valueOf(MosquittoBroker.TLS_PORT), "--cafile", pki.rootCertificate().toString(), "--cert",
                c.certificate().toString(), "--key", c.privateKey().toString(), "-i", id + "-probe", "-q", "1", "-t", topic, "-m", message));
        if (retained) {
            argv.add("-r");
        }
        return brokerNs.exec(Duration.ofSeconds(30), argv.toArray(String[]::new));
    }

    static Object path(Map<String, Object> json, String... keys) {
        Object v = json;
        for (String k : keys) {
            if (v instanceof Map<?, ?> m) {
                v = m.get(k);
            } else if (v instanceof List<?> l && k.matches("\\d+")) {
                v = Integer.parseInt(k) < l.size() ? l.get(Integer.parseInt(k)) : null;
            } else {
                return null;
            }
        }
        return v;
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
