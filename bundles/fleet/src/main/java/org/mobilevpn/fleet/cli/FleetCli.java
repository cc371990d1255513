package org.mobilevpn.fleet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.mobilevpn.fleet.BundleImage;
import org.mobilevpn.fleet.FleetSettings;
import org.mobilevpn.fleet.Json;
import org.mobilevpn.fleet.JwsSignature;
import org.mobilevpn.fleet.TlsContexts;
import org.mobilevpn.fleet.Topics;

/**
 * {@code bin/mobilevpn-fleet}: the operator side of fleet management, without Gogo or a framework. It
 * speaks only to the broker, with the operator's own certificate, and uses the topics of docs/fleet.md,
 * so anything it does can also be done with {@code mosquitto_pub}/{@code mosquitto_sub}.
 * Exit status: 0 done, 1 the device answered with an error or nothing, 2 wrong usage or no broker.
 */
public final class FleetCli {
    static final String USAGE = """
            usage: mobilevpn-fleet [options] COMMAND ...
              push (--device ID | --group G) [--revision N] [--sign KEY] FILE
                                   publish FILE (a policy document: profiles, delete) as the retained desired
                                   policy; revision: --revision, else the file's, else the current Unix time
              clear (--device ID | --group G)
                                   remove the retained policy: the devices withdraw its profiles
              list [--wait 2s]     every device with its reported state
              state ID             one device's reported state (JSON)
              cmd ID up|down NAME | status [NAME] | reload
                                   run a command on the device and print its answer
              deploy ID JAR [--sign KEY]
                                   install or update a bundle on the device (SHA-256 checked; rolled back
                                   when it does not come up)
              simulate --agents N --broker URI [--ca F --certs DIR --operator-cert F --operator-key F]
                                   N simulated devices (real MQTT sessions, no VPN) against a broker: time
                                   from one group policy to all of them reporting it, memory
            options:
              --config FILE        broker, ca, cert, key, key_password, allow_plain as in etc/org.mobilevpn.fleet.cfg
              --broker URI[,URI]   --ca FILE   --cert FILE   --key FILE   --allow-plain
              --timeout 30s        how long cmd and deploy wait for the answer
            KEY (signing) and the operator's key: unencrypted PKCS#8 PEM or PKCS#12 (password in
            MOBILEVPN_FLEET_KEY_PASSWORD).
            """;

    private final PrintStream out;
    private final PrintStream err;

    FleetCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new FleetCli(System.out, System.err).run(args));
    }

    /** Wrong usage: the message and the usage text, exit status 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    int run(String[] argv) {
        if (argv.length > 0 && argv[0].equals("simulate")) {
            try {
                FleetSimulator.main(List.of(argv).subList(1, argv.length));
                return 0;
            } catch (Exception e) {
                err.println("mobilevpn-fleet simulate: " + e);
                return 1;
            }
        }
        Deque<String> args = new ArrayDeque<>(List.of(argv));
        Map<String, Object> connection = new HashMap<>();
        Map<String, String> options = new HashMap<>();
        List<String> positional = new ArrayList<>();
        try {
            while (!args.isEmpty()) {
                String a = args.poll();
                switch (a) {
                    case "-h", "--help", "help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--config" -> loadConfig(Path.of(value(a, args)), connection);
                    case "--broker" -> connection.put("broker", value(a, args));
                    case "--ca" -> connection.put("ca", value(a, args));
                    case "--cert" -> connection.put("cert", value(a, args));
                    case "--key" -> connection.put("key", value(a, args));
                    case "--allow-plain" -> connection.put("allow_plain", "true");
                    case "--device", "--group", "--revision", "--sign", "--wait", "--timeout" -> options.put(a, value(a, args));
                    default -> {
                        if (a.startsWith("--")) {
                            throw new UsageException("unknown option " + a);
                        }
                        positional.add(a);
                    }
                }
            }
            if (positional.isEmpty()) {
                throw new UsageException("no command");
            }
            String command = positional.remove(0);
            // The operator is no device: device_id only completes the shared validation of the connection keys.
            connection.putIfAbsent("device_id", "operator");
            FleetSettings settings = FleetSettings.parse(connection, Path.of("").toAbsolutePath());
            try (OperatorSession session = new OperatorSession(settings, tls(settings))) {
                return switch (command) {
                    case "push" -> push(session, options, positional);
                    case "clear" -> clear(session, options);
                    case "list" -> list(session, options);
                    case "state" -> state(session, one(positional, "ID"));
                    case "cmd" -> cmd(session, positional, options);
                    case "deploy" -> deploy(session, positional, options);
                    default -> throw new UsageException("unknown command " + command);
                };
            }
        } catch (UsageException e) {
            err.println("mobilevpn-fleet: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (FleetSettings.InvalidSettingsException e) {
            err.println("mobilevpn-fleet: " + e.getMessage());
            return 2;
        } catch (MqttException e) {
            err.println("mobilevpn-fleet: the broker: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            return 2;
        } catch (IOException | GeneralSecurityException e) {
            err.println("mobilevpn-fleet: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    private int push(OperatorSession session, Map<String, String> options, List<String> positional) throws UsageException, MqttException, IOException, GeneralSecurityException, InterruptedException {
        String topic = policyTopic(options);
        Path file = Path.of(one(positional, "FILE"));
        Map<String, Object> doc;
        try {
            doc = new LinkedHashMap<>(Json.object(Files.readAllBytes(file)));
        } catch (Json.JsonException e) {
            throw new UsageException(file + " " + e.getMessage());
        }
        long revision = options.containsKey("--revision") ? Long.parseLong(options.get("--revision"))
                : doc.get("revision") instanceof Number n ? n.longValue() : Instant.now().getEpochSecond();
        doc.put("revision", revision);
        byte[] payload = Json.write(doc).getBytes(StandardCharsets.UTF_8);
        if (options.containsKey("--sign")) {
            PrivateKey key = OperatorCredentials.privateKey(Path.of(options.get("--sign")));
            payload = JwsSignature.sign(payload, key, false).getBytes(StandardCharsets.US_ASCII);
        }
        session.publish(topic, payload, true);
        out.println("pushed revision " + revision + " to " + topic + (options.containsKey("--sign") ? " (signed)" : ""));
        return 0;
    }

    private int clear(OperatorSession session, Map<String, String> options) throws UsageException, MqttException, IOException, GeneralSecurityException, InterruptedException {
        String topic = policyTopic(options);
        session.publish(topic, new byte[0], true);
        out.println("cleared " + topic);
        return 0;
    }

    private int list(OperatorSession session, Map<String, String> options) throws UsageException, MqttException, IOException, GeneralSecurityException, InterruptedException {
        session.subscribe(Topics.ROOT + "/device/+/state");
        Duration wait = duration(options.getOrDefault("--wait", "2s"));
        Map<String, byte[]> states = session.collect(wait);
        out.println(String.format("%-20s %-7s %-9s %-24s %s", "DEVICE", "ONLINE", "REVISION", "REJECTED", "CONNECTIONS"));
        for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(states).entrySet()) {
            String device = Topics.deviceOf(e.getKey());
            try {
                Map<String, Object> s = Json.object(e.getValue());
                out.println(String.format("%-20s %-7s %-9s %-24s %s", device, s.get("online"), s.get("revision"),
                        rejected(s.get("rejected")), connections(s.get("connections"))));
            } catch (Json.JsonException x) {
                out.println(String.format("%-20s %s", device, "(unreadable state: " + x.getMessage() + ")"));
            }
        }
        return 0;
    }

    private int state(OperatorSession session, String device) throws UsageException, MqttException, IOException, GeneralSecurityException, InterruptedException {
        session.subscribe(Topics.state(device));
        byte[] state = session.collect(Duration.ofSeconds(2)).get(Topics.state(device));
        if (state == null) {
            err.println("mobilevpn-fleet: no state from " + device + " (never connected, or not visible to this user)");
            return 1;
        }
        out.println(new String(state, StandardCharsets.UTF_8));
        return 0;
    }

    private int cmd(OperatorSession session, List<String> positional, Map<String, String> options) throws UsageException, MqttException, IOException, GeneralSecurityException, InterruptedException {
        if (positional.size() < 2) {
            throw new UsageException("cmd needs ID and a command");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("command", positional.get(1));
        if (positional.size() > 2) {
            request.put("name", positional.get(2));
        }
        return ask(session, positional.get(0), request, duration(options.getOrDefault("--timeout", "30s")));
    }

    private int deploy(OperatorSession session, List<String> positional, Map<String, String> options) throws UsageException, MqttException, IOException, GeneralSecurityException, InterruptedException {
        if (positional.size() != 2) {
            throw new UsageException("deploy needs ID and JAR");
        }
        byte[] jar = Files.readAllBytes(Path.of(positional.get(1)));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("command", "deploy");
        request.put("sha256", BundleImage.sha256(jar));
        request.put("data", Base64.getEncoder().encodeToString(jar));
        if (options.containsKey("--sign")) {
            request.put("signature", JwsSignature.sign(jar, OperatorCredentials.privateKey(Path.of(options.get("--sign"))), true));
        }
        return ask(session, positional.get(0), request, duration(options.getOrDefault("--timeout", "120s")));
    }

    private int ask(OperatorSession session, String device, Map<String, Object> request, Duration timeout) throws UsageException, MqttException, IOException, GeneralSecurityException, InterruptedException {
        byte[] answer = session.request(device, Json.write(request).getBytes(StandardCharsets.UTF_8), timeout);
        if (answer == null) {
            err.println("mobilevpn-fleet: no answer from " + device + " within " + timeout.toSeconds() + " s (offline?)");
            return 1;
        }
        String text = new String(answer, StandardCharsets.UTF_8);
        out.println(text);
        try {
            return Json.command(answer).get("ok") == Boolean.TRUE ? 0 : 1;
        } catch (Json.JsonException e) {
            return 1;
        }
    }

    private static String rejected(Object r) {
        if (r instanceof Map<?, ?> m) {
            return "rev " + m.get("revision") + " (" + (m.get("errors") instanceof List<?> l ? l.size() : 0) + " errors)";
        }
        return "-";
    }

    private static String connections(Object c) {
        List<String> parts = new ArrayList<>();
        if (c instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    parts.add(m.get("name") + ":" + m.get("state") + (m.get("virtual_ip") != null ? "@" + m.get("virtual_ip") : ""));
                }
            }
        }
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }

    private static String policyTopic(Map<String, String> options) throws UsageException {
        String device = options.get("--device");
        String group = options.get("--group");
        if ((device == null) == (group == null)) {
            throw new UsageException("give exactly one of --device ID and --group G");
        }
        String name = device != null ? device : group;
        if (!Topics.NAME.matcher(name).matches()) {
            throw new UsageException("'" + name + "' is not a valid device id or group name");
        }
        return device != null ? Topics.devicePolicy(device) : Topics.groupPolicy(group);
    }

    private static SSLSocketFactory tls(FleetSettings s) throws IOException, GeneralSecurityException {
        if (s.brokers().stream().noneMatch(u -> u.getScheme().equalsIgnoreCase("ssl"))) {
            return null;
        }
        char[] password = s.keyPassword().isEmpty() ? System.getenv().getOrDefault("MOBILEVPN_FLEET_KEY_PASSWORD", "").toCharArray()
                : s.keyPassword().toCharArray();
        OperatorCredentials.Credentials own = OperatorCredentials.read(s.cert().orElseThrow(), s.key().orElse(null), password);
        if (own.key() == null) {
            throw new IOException("key: the operator's private key is missing (--key or key in --config)");
        }
        return TlsContexts.client(own.chain(), own.key(), OperatorCredentials.certificates(s.ca().orElseThrow()));
    }

    private static void loadConfig(Path file, Map<String, Object> into) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Path dir = file.toAbsolutePath().getParent();
        for (String k : p.stringPropertyNames()) {
            String v = p.getProperty(k).strip();
            if (List.of("ca", "cert", "key").contains(k) && !Path.of(v).isAbsolute()) {
                v = dir.resolve(v).toString(); // relative to the file, as an operator expects
            }
            into.put(k, v);
        }
    }

    private static String value(String option, Deque<String> args) throws UsageException {
        String v = args.poll();
        if (v == null) {
            throw new UsageException(option + " needs a value");
        }
        return v;
    }

    private static String one(List<String> positional, String what) throws UsageException {
        if (positional.size() != 1) {
            throw new UsageException("expected " + what);
        }
        return positional.get(0);
    }

    private static Duration duration(String text) throws UsageException {
        List<String> problems = new ArrayList<>();
        Duration d = FleetSettings.duration(text, "duration", Duration.ZERO, problems);
        if (!problems.isEmpty()) {
            throw new UsageException(problems.get(0));
        }
        return d;
    }
}
