package org.mobilevpn.fleet;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated fleet configuration ({@code etc/org.mobilevpn.fleet.cfg}, PID {@value #PID}); the keys are
 * those of docs/fleet.md and {@link FleetConfig}. Values come as ConfigAdmin delivers them (FileInstall:
 * strings; the Web Console: typed), so lists may be arrays or one comma-separated string. Every problem
 * names its key; a secret ({@code key_password}) is never part of a message or of {@link #toString()}.
 *
 * @param brokers       broker URIs, tried in this order
 * @param deviceId      this device's id: one topic level, and the broker's user name for it
 * @param groups        the groups whose policy documents apply to this device, in order
 * @param ca            CA certificate(s) the broker's certificate must chain to (ssl://)
 * @param cert          our client certificate (PEM or PKCS#12), empty only for a plain broker
 * @param key           its private key; empty when {@code cert} is PKCS#12 holding it
 * @param keyPassword   for an encrypted key or PKCS#12 file; empty when none
 * @param allowPlain    a {@code tcp://} broker is accepted (flagged by the provisioning check)
 * @param requireSigned policy documents and bundles must carry the operator's signature
 * @param signer        the operator's certificate that signatures are checked against
 * @param keepalive     MQTT keepalive
 * @param deployTimeout how long a deployed bundle has to become ACTIVE with its components satisfied
 * @param stateInterval how often the state is published even without a change (counters)
 */
public record FleetSettings(List<URI> brokers, String deviceId, List<String> groups, Optional<Path> ca,
        Optional<Path> cert, Optional<Path> key, String keyPassword, boolean allowPlain, boolean requireSigned,
        Optional<Path> signer, Duration keepalive, Duration deployTimeout, Duration stateInterval) {

    /** The ConfigAdmin PID. */
    public static final String PID = "org.mobilevpn.fleet";
    /** Where the broker's CA, our certificate and key are when the configuration does not say. */
    public static final String DEFAULT_CA = "etc/fleet/ca.pem";
    public static final String DEFAULT_CERT = "etc/fleet/cert.pem";
    public static final String DEFAULT_KEY = "etc/fleet/key.pem";

    public FleetSettings {
        brokers = List.copyOf(brokers);
        groups = List.copyOf(groups);
    }

    /** Whether any broker is reached without TLS. */
    public boolean plain() {
        return brokers.stream().anyMatch(u -> u.getScheme().equals("tcp"));
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "FleetSettings[broker=" + brokers + ", device_id=" + deviceId + ", groups=" + groups + ", ca=" + ca.orElse(null)
                + ", cert=" + cert.orElse(null) + ", key=" + key.orElse(null) + ", allow_plain=" + allowPlain
                + ", require_signed=" + requireSigned + ", signer=" + signer.orElse(null) + "]";
    }

    /** Settings that are not valid: every problem, each naming its key. */
    public static final class InvalidSettingsException extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        InvalidSettingsException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    /**
     * Validates raw configuration properties.
     *
     * @param home relative paths resolve against it (the runtime directory)
     * @throws InvalidSettingsException naming every key that is wrong
     */
    public static FleetSettings parse(Map<String, ?> props, Path home) throws InvalidSettingsException {
        List<String> problems = new ArrayList<>();
        List<URI> brokers = new ArrayList<>();
        for (String b : list(props.get("broker"))) {
            try {
                URI u = new URI(b);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("ssl") && !scheme.equals("tcp")) {
                    problems.add("broker: '" + b + "' must be ssl://host:port or tcp://host:port");
                } else if (u.getHost() == null || u.getPort() < 1) {
                    problems.add("broker: '" + b + "' needs a host and a port");
                } else {
                    brokers.add(u);
                }
            } catch (URISyntaxException e) {
                problems.add("broker: '" + b + "' is not a URI");
            }
        }
        if (list(props.get("broker")).isEmpty()) {
            problems.add("broker: missing: one or more broker URIs, e.g. ssl://broker.example.org:8883");
        }
        String deviceId = text(props.get("device_id"));
        if (deviceId.isEmpty()) {
            problems.add("device_id: missing: this device's id (its client certificate's name at the broker)");
        } else if (!Topics.NAME.matcher(deviceId).matches()) {
            problems.add("device_id: '" + deviceId + "' must be letters, digits, _ . @ - (one topic level)");
        }
        List<String> groups = new ArrayList<>(new LinkedHashSet<>(list(props.get("groups"))));
        for (String g : groups) {
            if (!Topics.NAME.matcher(g).matches()) {
                problems.add("groups: '" + g + "' must be letters, digits, _ . @ - (one topic level)");
            }
        }
        boolean allowPlain = bool(props.get("allow_plain"), "allow_plain", problems);
        boolean requireSigned = bool(props.get("require_signed"), "require_signed", problems);
        boolean tls = brokers.stream().anyMatch(u -> u.getScheme().equalsIgnoreCase("ssl"));
        // with TLS the credentials have a place of their own, so that three lines attach a gateway
        Optional<Path> ca = path(props.get("ca"), home).or(() -> tls ? path(DEFAULT_CA, home) : Optional.empty());
        Optional<Path> cert = path(props.get("cert"), home).or(() -> tls ? path(DEFAULT_CERT, home) : Optional.empty());
        Optional<Path> key = path(props.get("key"), home).or(() -> tls && props.get("cert") == null ? path(DEFAULT_KEY, home) : Optional.empty());
        Optional<Path> signer = path(props.get("signer"), home);
        if (brokers.stream().anyMatch(u -> u.getScheme().equalsIgnoreCase("tcp")) && !allowPlain) {
            problems.add("broker: a tcp:// broker carries policies and commands in clear text: use ssl://, "
                    + "or set allow_plain = true to accept it (the provisioning check flags it)");
        }
        if (requireSigned && signer.isEmpty()) {
            problems.add("signer: missing: require_signed = true needs the operator's certificate");
        }
        Duration keepalive = duration(props.get("keepalive"), "keepalive", Duration.ofSeconds(30), problems);
        Duration deployTimeout = duration(props.get("deploy_timeout"), "deploy_timeout", Duration.ofSeconds(60), problems);
        Duration stateInterval = duration(props.get("state_interval"), "state_interval", Duration.ofMinutes(5), problems);
        if (keepalive.toSeconds() < 1 || keepalive.toSeconds() > 65535) {
            problems.add("keepalive: must be 1s to 65535s");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new FleetSettings(brokers, deviceId, groups, ca, cert, key, text(props.get("key_password")), allowPlain,
                requireSigned, signer, keepalive, deployTimeout, stateInterval);
    }

    static List<String> list(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof String[] a) {
            Arrays.stream(a).forEach(s -> out.addAll(list(s)));
        } else if (v instanceof Iterable<?> it) {
            it.forEach(s -> out.addAll(list(s)));
        } else if (v != null) {
            for (String part : String.valueOf(v).split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v).strip();
    }

    private static boolean bool(Object v, String key, List<String> problems) {
        String t = text(v).toLowerCase(Locale.ROOT);
        switch (t) {
            case "":
            case "false":
            case "no":
                return false;
            case "true":
            case "yes":
                return true;
            default:
                problems.add(key + ": '" + t + "' must be true or false");
                return false;
        }
    }

    private static Optional<Path> path(Object v, Path home) {
        String t = text(v);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(t);
        return Optional.of(p.isAbsolute() || home == null ? p : home.resolve(p).normalize());
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 1h}, {@code 250ms} (a bare number is seconds). */
    public static Duration duration(Object v, String key, Duration fallback, List<String> problems) {
        String t = text(v);
        if (t.isEmpty()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            problems.add(key + ": '" + t + "' is not a duration (e.g. 30s, 5m, 1h)");
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
