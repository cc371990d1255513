package org.mobilevpn.shell;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.policy.ConnectionError;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.VpnProfile;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The connection commands of the Policy Manager: {@code vpn:list}, {@code vpn:up NAME}, {@code vpn:down NAME},
 * {@code vpn:rekey [--ike|--child] NAME}, {@code vpn:status [NAME]}, {@code vpn:sas [NAME]} — also reachable as
 * {@code bin/mobilevpn status|up|down}.
 * A failure is an exception with a one-line message: the console prints it, and the control channel
 * exits with status 1.
 *
 * <p>A profile whose configuration is invalid has no connection; the listings show it all the same,
 * as {@code INVALID} with the problems the {@link ProfileRegistry} reports (each naming its key), so that
 * an operator sees why the connection is missing.
 *
 * <p>{@code vpn:up} waits until the connection is up (or its attempt failed) for at most
 * {@link #UP_WAIT}, {@code vpn:down} until it is down for at most {@link #DOWN_WAIT}, {@code vpn:rekey}
 * until the new SA has taken over for at most {@link #REKEY_WAIT}, so a script knows the outcome when the
 * command returns.
 */
@Component(service = Object.class, property = {
    "osgi.command.scope=vpn",
    "osgi.command.function=list",
    "osgi.command.function=up",
    "osgi.command.function=down",
    "osgi.command.function=rekey",
    "osgi.command.function=status",
    "osgi.command.function=sas"
})
public class ConnectionCommands {
    static final Duration UP_WAIT = Duration.ofSeconds(30);
    static final Duration DOWN_WAIT = Duration.ofSeconds(10);
    static final Duration REKEY_WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Waits between two looks at the state; tests pass one that moves a fake clock. */
    interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** The state shown for a profile that is not valid (it has no connection, so no ConnectionState). */
    static final String INVALID = "INVALID";

    private final VpnManager vpn;
    private final Clock clock;
    private final Pause pause;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ProfileRegistry registry;

    @Activate
    public ConnectionCommands(@Reference VpnManager vpn) {
        this(vpn, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    ConnectionCommands(VpnManager vpn, Clock clock, Pause pause) {
        this.vpn = vpn;
        this.clock = clock;
        this.pause = pause;
    }

    /** {@code vpn:list}: every connection with its state and whether it is kept up. */
    public String list() {
        List<ConnectionStatus> all = vpn.statusAll();
        Map<String, List<ProfileProblem>> invalid = invalidProfiles(all);
        if (all.isEmpty() && invalid.isEmpty()) {
            return noConnections();
        }
        Table t = new Table("NAME", "STATE", "KEPT UP", "LAST ERROR");
        for (ConnectionStatus s : all) {
            t.row(s.name(), s.state(), s.wanted() ? "yes" : "no", s.lastError().map(ConnectionError::toString).orElse(null));
        }
        invalid.forEach((name, problems) -> t.row(displayName(name), INVALID, "no", problemsText(problems)));
        return t.toString();
    }

    /** {@code vpn:up NAME}: brings the connection up, keeps it up, and waits for the outcome. */
    public String up(String name) throws InterruptedException {
        Instant asked = clock.instant();
        ConnectionStatus s = vpn.connect(name);
        Instant deadline = asked.plus(UP_WAIT);
        while (true) {
            if (s.state() == ConnectionState.CONNECTED) {
                return name + ": CONNECTED, virtual IP " + StatusFormat.addresses(s.virtualIps())
                        + s.interfaceName().map(n -> " on " + n).orElse("")
                        + s.gateway().map(g -> " via " + StatusFormat.endpoint(g)).orElse("")
                        + s.handshakeDuration().map(d -> " (handshake " + StatusFormat.duration(d) + ")").orElse("");
            }
            if (s.state() == ConnectionState.DEGRADED) {
                return name + ": DEGRADED: " + s.degradation().orElse("its traffic does not flow")
                        + " (vpn:status " + name + ")";
            }
            ConnectionError error = s.lastError().orElse(null);
            boolean newError = error != null && !error.time().isBefore(asked);
            if (s.state() == ConnectionState.FAILED) {
                throw new IllegalStateException(name + ": FAILED: " + (error == null ? "see vpn:status " + name : error));
            }
            if (s.state() == ConnectionState.RECONNECTING && newError) {
                throw new IllegalStateException(name + ": not connected: " + error + retrying(s));
            }
            if (!clock.instant().isBefore(deadline)) {
                return name + ": still " + s.state() + " after " + StatusFormat.duration(UP_WAIT)
                        + "; it keeps trying (vpn:status " + name + ")";
            }
            pause.pause(POLL);
            s = current(name);
        }
    }

    /** {@code vpn:down NAME}: deletes the IKE SA at the gateway and removes the tunnel; no longer kept up. */
    public String down(String name) throws InterruptedException {
        ConnectionStatus s = vpn.disconnect(name);
        String done = name + ": DISABLED" + (s.state() == ConnectionState.DISCONNECTING ? ", tunnel removed" : "");
        Instant deadline = clock.instant().plus(DOWN_WAIT);
        while (s.state() == ConnectionState.DISCONNECTING && clock.instant().isBefore(deadline)) {
            pause.pause(POLL);
            s = vpn.status(name).orElse(null);
            if (s == null) {
                return done;
            }
        }
        return s.state() == ConnectionState.DISABLED ? done
                : name + ": " + s.state() + " (tunnel removed; the gateway has not confirmed the delete yet)";
    }

    /** {@code vpn:rekey NAME}: rekeys the IKE SA now, as {@code swanctl --rekey --ike} does. */
    public String rekey(String name) throws InterruptedException {
        return rekey("--ike", name);
    }

    /**
     * {@code vpn:rekey --ike NAME} rekeys the IKE SA, {@code vpn:rekey --child NAME} every Child SA, now (as
     * {@code swanctl --rekey} does) and waits until the new SAs have taken over. The connection stays up.
     */
    public String rekey(String which, String name) throws InterruptedException {
        boolean child = switch (which) {
            case "--ike" -> false;
            case "--child" -> true;
            default -> throw new IllegalArgumentException("unknown option '" + which + "'; usage: vpn:rekey [--ike|--child] NAME");
        };
        String what = child ? "Child SA" : "IKE SA";
        ConnectionStatus s = child ? vpn.rekeyChildSas(name) : vpn.rekeyIkeSa(name);
        List<String> old = child ? childSpis(s) : ikeSpis(s);
        Instant deadline = clock.instant().plus(REKEY_WAIT);
        while (true) {
            pause.pause(POLL);
            s = current(name);
            if (s.state() != ConnectionState.CONNECTED) {
                throw new IllegalStateException(name + ": " + s.state() + " during the " + what + " rekey"
                        + s.lastError().map(e -> ": " + e).orElse(""));
            }
            List<String> now = child ? childSpis(s) : ikeSpis(s);
            if (!now.isEmpty() && now.stream().noneMatch(old::contains)) {
                return name + ": " + what + " rekeyed, SPIs " + String.join(", ", old) + " -> " + String.join(", ", now);
            }
            if (!clock.instant().isBefore(deadline)) {
                return name + ": " + what + " rekey requested; not done after " + StatusFormat.duration(REKEY_WAIT)
                        + " (vpn:events " + name + " shows when it is)";
            }
        }
    }

    private static List<String> ikeSpis(ConnectionStatus s) {
        return s.ikeSpiInitiator().isPresent() && s.ikeSpiResponder().isPresent()
                ? List.of(String.format("%016x_i %016x_r", s.ikeSpiInitiator().getAsLong(), s.ikeSpiResponder().getAsLong()))
                : List.of();
    }

    private static List<String> childSpis(ConnectionStatus s) {
        return s.childSas().stream().map(c -> StatusFormat.spi(c.spiIn()) + "_i " + StatusFormat.spi(c.spiOut()) + "_o")
                .toList();
    }

    /** {@code vpn:status}: one line per connection. */
    public String status() {
        List<ConnectionStatus> all = vpn.statusAll();
        Map<String, List<ProfileProblem>> invalid = invalidProfiles(all);
        if (all.isEmpty() && invalid.isEmpty()) {
            return noConnections();
        }
        Table t = new Table("NAME", "STATE", "GATEWAY", "VIRTUAL IP", "IN", "OUT", "UPTIME", "LAST ERROR");
        for (ConnectionStatus s : all) {
            boolean up = established(s);
            t.row(s.name(), s.state(), s.gateway().map(StatusFormat::endpoint).orElse(null),
                    s.virtualIps().isEmpty() ? null : StatusFormat.addresses(s.virtualIps()),
                    up ? StatusFormat.bytes(s.bytesIn()) : null, up ? StatusFormat.bytes(s.bytesOut()) : null,
                    up ? StatusFormat.duration(s.uptime()) : null,
                    s.lastError().map(ConnectionError::toString).orElse(null));
        }
        invalid.forEach((name, problems) -> t.row(displayName(name), INVALID, null, null, null, null, null,
                problemsText(problems)));
        return t.toString();
    }

    /** {@code vpn:status NAME}: everything about one connection, its Child SAs last; an invalid profile's problems. */
    public String status(String name) {
        if (vpn.status(name).isEmpty()) {
            List<ProfileProblem> problems = problemsOf(name);
            if (!problems.isEmpty()) {
                Table t = new Table("  KEY", "VALUE");
                t.row("  state", INVALID + " (no connection until the profile is fixed)");
                problems.forEach(p -> t.row("  problem", p.key() + ": " + p.message()));
                String rows = t.toString();
                return name + "\n" + rows.substring(rows.indexOf('\n') + 1);
            }
        }
        ConnectionStatus s = current(name);
        Table t = new Table("  KEY", "VALUE");
        t.row("  state", s.state() + (s.wanted() ? " (kept up)" : ""));
        s.waitingFor().ifPresent(w -> t.row("  waiting for", "the " + w + " service (starts when it is there)"));
        s.nextAttempt().ifPresent(n -> t.row("  next attempt", "in " + StatusFormat.duration(Duration.between(clock.instant(), n))
                + " (failed attempts: " + s.failedAttempts() + ")"));
        s.gateway().ifPresent(g -> t.row("  gateway", StatusFormat.endpoint(g)));
        s.localAddress().ifPresent(l -> t.row("  local", StatusFormat.endpoint(l)));
        s.uplink().ifPresent(u -> t.row("  uplink", u));
        List<String> preferred = preferredUplinks(name);
        if (!preferred.isEmpty()) {
            t.row("  uplinks", String.join(", ", preferred) + " (preferred in this order)");
        }
        if (s.gateway().isPresent()) {
            t.row("  NAT", (s.natDetected() ? "detected" : "none") + (s.udpEncapsulated() ? ", ESP in UDP" : ""));
        }
        s.ikeAlgorithms().ifPresent(a -> t.row("  IKE SA", a));
        ikeSpis(s).forEach(spis -> t.row("  IKE SPIs", spis));
        s.ikeEstablished().ifPresent(e -> t.row("  IKE SA age", StatusFormat.duration(Duration.between(e, clock.instant()))
                + s.ikeRekeyBy().map(r -> ", rekeyed within " + StatusFormat.duration(Duration.between(clock.instant(), r)))
                        .orElse("")));
        s.interfaceName().ifPresent(n -> t.row("  interface", n));
        if (!s.virtualIps().isEmpty()) {
            t.row("  virtual IP", StatusFormat.addresses(s.virtualIps()));
        }
        if (!s.dnsServers().isEmpty()) {
            t.row("  DNS", StatusFormat.addresses(s.dnsServers()));
        }
        if (!s.dnsDomains().isEmpty()) {
            t.row("  DNS domains", String.join(", ", s.dnsDomains()));
        }
        s.handshakeDuration().ifPresent(d -> t.row("  handshake", StatusFormat.duration(d)));
        s.livenessRtt().ifPresent(d -> t.row("  liveness RTT", StatusFormat.duration(d)));
        t.row("  handshakes", s.handshakes() + " (reconnects after failures: " + s.reconnects() + ")");
        if (s.moves() > 0) {
            t.row("  moves", s.moves() + " (the IKE SA followed to another uplink or address; "
                    + StatusFormat.duration(s.moveOutage()) + " from losing a path to moving, in all)");
        }
        s.degradation().ifPresent(d -> t.row("  degraded", d));
        if (s.degradations() > 0) {
            t.row("  degradations", s.degradations() + " (times CONNECTED turned DEGRADED)");
        }
        if (s.killSwitch() || s.blockedPackets() >= 0) {
            t.row("  kill switch", (s.killSwitch() ? "engaged" : "off (the tunnel's destinations leave only through it)")
                    + (s.blockedPackets() >= 0 ? ", " + s.blockedPackets() + " packets blocked outside the tunnel" : ""));
        }
        if (established(s)) {
            t.row("  uptime", StatusFormat.duration(s.uptime()));
            t.row("  traffic in", s.packetsIn() + " packets, " + StatusFormat.bytes(s.bytesIn()));
            t.row("  traffic out", s.packetsOut() + " packets, " + StatusFormat.bytes(s.bytesOut()));
            t.row("  drops", StatusFormat.counts(s.drops()));
        }
        s.lastError().ifPresent(e -> t.row("  last error", e + " (" + StatusFormat.duration(Duration.between(e.time(),
                clock.instant())) + " ago)"));
        s.profileProblem().ifPresent(p -> t.row("  rejected update", p + " (running on the previous version)"));
        String rows = t.toString();
        StringBuilder out = new StringBuilder(name).append('\n').append(rows.substring(rows.indexOf('\n') + 1));
        if (!s.childSas().isEmpty()) {
            out.append("  Child SAs:\n").append(indent(sasTable(List.of(s)), "  "));
        }
        return out.toString();
    }

    /** {@code vpn:sas}: every installed Child SA of every connection. */
    public String sas() {
        List<ConnectionStatus> all = vpn.statusAll();
        if (all.stream().allMatch(s -> s.childSas().isEmpty())) {
            return "no Child SAs installed";
        }
        return sasTable(all);
    }

    /** {@code vpn:sas NAME}: the installed Child SAs of one connection. */
    public String sas(String name) {
        ConnectionStatus s = current(name);
        if (s.childSas().isEmpty()) {
            return name + ": no Child SAs installed (" + s.state() + ")";
        }
        return sasTable(List.of(s));
    }

    private String sasTable(List<ConnectionStatus> statuses) {
        Table t = new Table("NAME", "ID", "SPI IN", "SPI OUT", "ALGORITHMS", "LOCAL TS", "REMOTE TS", "IN", "OUT", "DROPS",
                "AGE", "REKEY IN");
        Instant now = clock.instant();
        for (ConnectionStatus s : statuses) {
            for (ChildSaStatus c : s.childSas()) {
                t.row(s.name(), c.childSaId(), StatusFormat.spi(c.spiIn()), StatusFormat.spi(c.spiOut()), c.algorithms()
                        + (c.udpEncapsulated() ? " UDP" : ""), selectors(c.localTs()), selectors(c.remoteTs()),
                        c.packetsIn() + " p / " + StatusFormat.bytes(c.bytesIn()),
                        c.packetsOut() + " p / " + StatusFormat.bytes(c.bytesOut()), StatusFormat.counts(c.drops()),
                        StatusFormat.duration(Duration.between(c.established(), now)),
                        StatusFormat.duration(Duration.between(now, c.nextRekey())));
            }
        }
        return t.toString();
    }

    private ConnectionStatus current(String name) {
        return vpn.status(name).orElseThrow(() -> new IllegalArgumentException("no connection named '" + name + "'"));
    }

    private String retrying(ConnectionStatus s) {
        return s.nextAttempt().map(n -> "; next attempt in " + StatusFormat.duration(Duration.between(clock.instant(), n)))
                .orElse("") + " (it keeps trying; vpn:down " + s.name() + " stops it)";
    }

    private static String selectors(List<org.mobilevpn.api.ipsec.TrafficSelector> list) {
        return list.stream().map(Object::toString).collect(Collectors.joining(","));
    }

    /** Up, whether its traffic flows (CONNECTED) or not (DEGRADED): counters and uptime mean something. */
    private static boolean established(ConnectionStatus s) {
        return s.state() == ConnectionState.CONNECTED || s.state() == ConnectionState.DEGRADED;
    }

    /** The problems of profiles that have no connection (never valid), by profile name, in the registry's order. */
    private Map<String, List<ProfileProblem>> invalidProfiles(List<ConnectionStatus> connections) {
        ProfileRegistry r = registry;
        Map<String, List<ProfileProblem>> invalid = new LinkedHashMap<>();
        if (r == null) {
            return invalid;
        }
        Set<String> known = connections.stream().map(ConnectionStatus::name).collect(Collectors.toSet());
        for (ProfileProblem p : r.problems()) {
            if (!known.contains(p.profile())) {
                invalid.computeIfAbsent(p.profile(), n -> new ArrayList<>()).add(p);
            }
        }
        return invalid;
    }

    /** The profile's {@code uplinks} (empty without the key, or without the registry). */
    private List<String> preferredUplinks(String name) {
        ProfileRegistry r = registry;
        return r == null ? List.of() : r.profile(name).map(VpnProfile::uplinks).orElse(List.of());
    }

    private List<ProfileProblem> problemsOf(String name) {
        ProfileRegistry r = registry;
        return r == null ? List.of() : r.problems(name);
    }

    private static String displayName(String profile) {
        return profile.isEmpty() ? "(no name)" : profile;
    }

    private static String problemsText(List<ProfileProblem> problems) {
        return problems.stream().map(p -> p.key() + ": " + p.message()).collect(Collectors.joining("; "));
    }

    private static String noConnections() {
        return "no connections (a profile is a file etc/org.mobilevpn.profile-NAME.cfg)";
    }

    private static String indent(String text, String prefix) {
        return text.lines().map(l -> prefix + l + "\n").collect(Collectors.joining());
    }
}
