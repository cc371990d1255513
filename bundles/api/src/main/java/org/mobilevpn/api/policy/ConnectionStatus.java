package org.mobilevpn.api.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.datapath.DropReason;

/**
 * One connection as it stood when the snapshot was taken. Immutable; built with {@link #builder(String)}.
 * Values that exist only while a tunnel is (or was last) up are {@link Optional}. Never carries a key
 * or a pre-shared key.
 */
public final class ConnectionStatus {
    private final String name;
    private final ConnectionState state;
    private final boolean wanted;
    private final ConnectionError lastError;
    private final int failedAttempts;
    private final Instant nextAttempt;
    private final InetSocketAddress gateway;
    private final InetSocketAddress localAddress;
    private final boolean natDetected;
    private final boolean udpEncapsulated;
    private final String ikeAlgorithms;
    private final String interfaceName;
    private final List<InetAddress> virtualIps;
    private final List<InetAddress> dnsServers;
    private final List<String> dnsDomains;
    private final List<ChildSaStatus> childSas;
    private final Map<DropReason, Long> drops;
    private final Duration handshakeDuration;
    private final Duration livenessRtt;
    private final Instant connectedSince;
    private final Duration uptime;
    private final Long ikeSpiInitiator;
    private final Long ikeSpiResponder;
    private final Instant ikeEstablished;
    private final Instant ikeRekeyBy;
    private final int reconnects;
    private final long handshakes;
    private final String profileProblem;
    private final String waitingFor;
    private final String degradation;
    private final int degradations;
    private final boolean killSwitch;
    private final long blockedPackets;
    private final int moves;
    private final String uplink;
    private final Duration moveOutage;

    private ConnectionStatus(Builder b) {
        name = Objects.requireNonNull(b.name, "name");
        state = Objects.requireNonNull(b.state, "state");
        wanted = b.wanted;
        lastError = b.lastError;
        failedAttempts = b.failedAttempts;
        nextAttempt = b.nextAttempt;
        gateway = b.gateway;
        localAddress = b.localAddress;
        natDetected = b.natDetected;
        udpEncapsulated = b.udpEncapsulated;
        ikeAlgorithms = b.ikeAlgorithms;
        interfaceName = b.interfaceName;
        virtualIps = List.copyOf(b.virtualIps);
        dnsServers = List.copyOf(b.dnsServers);
        dnsDomains = List.copyOf(b.dnsDomains);
        childSas = List.copyOf(b.childSas);
        drops = b.drops.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(b.drops));
        handshakeDuration = b.handshakeDuration;
        livenessRtt = b.livenessRtt;
        connectedSince = b.connectedSince;
        uptime = b.uptime == null ? Duration.ZERO : b.uptime;
        ikeSpiInitiator = b.ikeSpiInitiator;
        ikeSpiResponder = b.ikeSpiResponder;
        ikeEstablished = b.ikeEstablished;
        ikeRekeyBy = b.ikeRekeyBy;
        reconnects = b.reconnects;
        handshakes = b.handshakes;
        profileProblem = b.profileProblem;
        waitingFor = b.waitingFor;
        degradation = b.degradation;
        degradations = b.degradations;
        killSwitch = b.killSwitch;
        blockedPackets = b.blockedPackets;
        moves = b.moves;
        uplink = b.uplink;
        moveOutage = b.moveOutage;
        if (failedAttempts < 0 || reconnects < 0 || handshakes < 0 || degradations < 0 || moves < 0
                || moveOutage.isNegative()) {
            throw new IllegalArgumentException("negative count");
        }
    }

    /** A builder for the connection of this name, state DISABLED and nothing else set. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this snapshot's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name).state(state).wanted(wanted).lastError(lastError).failedAttempts(failedAttempts)
                .nextAttempt(nextAttempt).gateway(gateway).localAddress(localAddress).natDetected(natDetected)
                .udpEncapsulated(udpEncapsulated).ikeAlgorithms(ikeAlgorithms).interfaceName(interfaceName)
                .virtualIps(virtualIps).dnsServers(dnsServers).dnsDomains(dnsDomains).childSas(childSas).drops(drops)
                .handshakeDuration(handshakeDuration).livenessRtt(livenessRtt).connectedSince(connectedSince).ikeSpiInitiator(ikeSpiInitiator)
                .ikeSpiResponder(ikeSpiResponder).ikeEstablished(ikeEstablished).ikeRekeyBy(ikeRekeyBy)
                .reconnects(reconnects).handshakes(handshakes).profileProblem(profileProblem).waitingFor(waitingFor)
                .degradation(degradation).degradations(degradations).killSwitch(killSwitch)
                .blockedPackets(blockedPackets).moves(moves).uplink(uplink).moveOutage(moveOutage);
        b.uptime = uptime;
        return b;
    }

    /** The connection (profile) name. */
    public String name() { return name; }
    public ConnectionState state() { return state; }
    /** Whether the operator (or autostart) wants it up: such a connection is brought back after failures and restarts. */
    public boolean wanted() { return wanted; }
    /** The last failure; kept after the connection is up again, for the record (its time says when). */
    public Optional<ConnectionError> lastError() { return Optional.ofNullable(lastError); }
    /** Failed attempts since the last time the connection was up. */
    public int failedAttempts() { return failedAttempts; }
    /** When the next attempt starts (RECONNECTING only). */
    public Optional<Instant> nextAttempt() { return Optional.ofNullable(nextAttempt); }
    /** The gateway's IKE address and port in use. */
    public Optional<InetSocketAddress> gateway() { return Optional.ofNullable(gateway); }
    /** Our IKE address and port in use. */
    public Optional<InetSocketAddress> localAddress() { return Optional.ofNullable(localAddress); }
    /** A NAT was detected between us and the gateway (RFC 7296 §2.23), not just forced encapsulation. */
    public boolean natDetected() { return natDetected; }
    /** ESP travels in UDP on port 4500 (a NAT, or {@code encap = true}). */
    public boolean udpEncapsulated() { return udpEncapsulated; }
    /** The IKE SA's algorithms, e.g. {@code AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE25519}. */
    public Optional<String> ikeAlgorithms() { return Optional.ofNullable(ikeAlgorithms); }
    /** The virtual NIC's device name while the tunnel is up. */
    public Optional<String> interfaceName() { return Optional.ofNullable(interfaceName); }
    /** Addresses the gateway assigned (INTERNAL_IP4/6_ADDRESS). */
    public List<InetAddress> virtualIps() { return virtualIps; }
    /** DNS servers the gateway announced. */
    public List<InetAddress> dnsServers() { return dnsServers; }
    /** Split DNS domains the gateway announced (RFC 8598), searched through its DNS servers; since 2.2.0. */
    public List<String> dnsDomains() { return dnsDomains; }
    /** The installed Child SAs with their counters. */
    public List<ChildSaStatus> childSas() { return childSas; }
    /** Packets of this tunnel the data path dropped outside any SA, by reason (only non-zero ones). */
    public Map<DropReason, Long> drops() { return drops; }
    /** From the first IKE_SA_INIT request to the installed first Child SA, of the current (or last) tunnel. */
    public Optional<Duration> handshakeDuration() { return Optional.ofNullable(handshakeDuration); }
    /** Round trip of the last liveness check (RFC 7296 §2.4), when the engine reports one. */
    public Optional<Duration> livenessRtt() { return Optional.ofNullable(livenessRtt); }
    /** Since when the connection is established (CONNECTED or DEGRADED; unchanged by rekeys). */
    public Optional<Instant> connectedSince() { return Optional.ofNullable(connectedSince); }
    /** How long it has been established (CONNECTED or DEGRADED) at the time of the snapshot; zero when it is not. */
    public Duration uptime() { return uptime; }
    /** The current IKE SA's initiator SPI (ours), as in the IKE header and {@code swanctl --list-sas}. */
    public OptionalLong ikeSpiInitiator() { return ikeSpiInitiator == null ? OptionalLong.empty() : OptionalLong.of(ikeSpiInitiator); }
    /** The current IKE SA's responder SPI (the gateway's). */
    public OptionalLong ikeSpiResponder() { return ikeSpiResponder == null ? OptionalLong.empty() : OptionalLong.of(ikeSpiResponder); }
    /** When the current IKE SA was established (or rekeyed into place). */
    public Optional<Instant> ikeEstablished() { return Optional.ofNullable(ikeEstablished); }
    /**
     * The latest moment the current IKE SA will be rekeyed: established plus the profile's {@code rekey_time}.
     * The engine picks a jittered moment up to {@code rekey_time * jitter} earlier. Empty when rekeying is off.
     */
    public Optional<Instant> ikeRekeyBy() { return Optional.ofNullable(ikeRekeyBy); }
    /** How often the connection was re-established after a failure since the runtime (Policy Manager) started. */
    public int reconnects() { return reconnects; }
    /**
     * How often the IKE SA moved to another path (MOBIKE, RFC 4555: another uplink or address) since the runtime
     * started.
     *
     * @since 2.1
     */
    public int moves() { return moves; }
    /**
     * The interface the IKE SA and its ESP leave by (e.g. {@code eth0}), as the connection last chose it from the
     * host's routes; empty before the network was first seen or without a tunnel.
     *
     * @since 2.2
     */
    public Optional<String> uplink() { return Optional.ofNullable(uplink); }
    /**
     * The time the {@link #moves()} took together, each from the loss of the path in use (or the sight of a better
     * one) to the gateway's confirmation of the new addresses.
     *
     * @since 2.2
     */
    public Duration moveOutage() { return moveOutage; }
    /** Successful IKE handshakes (IKE_AUTH completed) of this connection since the runtime started. */
    public long handshakes() { return handshakes; }
    /**
     * Why the last configuration for this connection was rejected while an earlier valid version stays in use,
     * naming the key (e.g. {@code esp_proposals: unknown algorithm 'foo'}); empty once a valid version arrives.
     */
    public Optional<String> profileProblem() { return Optional.ofNullable(profileProblem); }
    /**
     * The service a wanted connection waits for before its next attempt can start (e.g. {@code DataPath} while
     * that bundle starts or is updated); the attempt starts as soon as it is there. Empty when nothing is missing.
     */
    public Optional<String> waitingFor() { return Optional.ofNullable(waitingFor); }
    /**
     * While {@link ConnectionState#DEGRADED}: why the traffic does not flow and what the connection does about
     * it (e.g. which Child SA gets no packets back, and the repair under way). Empty in every other state.
     */
    public Optional<String> degradation() { return Optional.ofNullable(degradation); }
    /** How often the connection became {@link ConnectionState#DEGRADED} since the runtime (Policy Manager) started. */
    public int degradations() { return degradations; }
    /**
     * Whether the connection's kill switch is engaged: outside the tunnel nothing but its IKE and ESP, loopback,
     * the uplink's DHCP and neighbour discovery and its {@code split_exclude} leave the host.
     */
    public boolean killSwitch() { return killSwitch; }
    /**
     * Packets the kill switch, and the rules that hold a tunnel's destinations to its device, dropped outside
     * the tunnel since they were installed; {@code -1} when the connection has no such rules or they cannot be read.
     */
    public long blockedPackets() { return blockedPackets; }

    /** Sum of bytes received over all Child SAs. */
    public long bytesIn() { return childSas.stream().mapToLong(ChildSaStatus::bytesIn).sum(); }
    /** Sum of bytes sent over all Child SAs. */
    public long bytesOut() { return childSas.stream().mapToLong(ChildSaStatus::bytesOut).sum(); }
    /** Sum of packets received over all Child SAs. */
    public long packetsIn() { return childSas.stream().mapToLong(ChildSaStatus::packetsIn).sum(); }
    /** Sum of packets sent over all Child SAs. */
    public long packetsOut() { return childSas.stream().mapToLong(ChildSaStatus::packetsOut).sum(); }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConnectionStatus)) {
            return false;
        }
        ConnectionStatus c = (ConnectionStatus) o;
        return name.equals(c.name) && state == c.state && wanted == c.wanted && Objects.equals(lastError, c.lastError)
                && failedAttempts == c.failedAttempts && Objects.equals(nextAttempt, c.nextAttempt)
                && Objects.equals(gateway, c.gateway) && Objects.equals(localAddress, c.localAddress)
                && natDetected == c.natDetected && udpEncapsulated == c.udpEncapsulated
                && Objects.equals(ikeAlgorithms, c.ikeAlgorithms) && Objects.equals(interfaceName, c.interfaceName)
                && virtualIps.equals(c.virtualIps) && dnsServers.equals(c.dnsServers) && dnsDomains.equals(c.dnsDomains)
                && childSas.equals(c.childSas)
                && drops.equals(c.drops) && Objects.equals(handshakeDuration, c.handshakeDuration)
                && Objects.equals(livenessRtt, c.livenessRtt) && Objects.equals(connectedSince, c.connectedSince)
                && uptime.equals(c.uptime) && Objects.equals(ikeSpiInitiator, c.ikeSpiInitiator)
                && Objects.equals(ikeSpiResponder, c.ikeSpiResponder) && Objects.equals(ikeEstablished, c.ikeEstablished)
                && Objects.equals(ikeRekeyBy, c.ikeRekeyBy) && reconnects == c.reconnects && handshakes == c.handshakes
                && Objects.equals(profileProblem, c.profileProblem) && Objects.equals(waitingFor, c.waitingFor)
                && Objects.equals(degradation, c.degradation) && degradations == c.degradations
                && killSwitch == c.killSwitch && blockedPackets == c.blockedPackets && moves == c.moves
                && Objects.equals(uplink, c.uplink) && moveOutage.equals(c.moveOutage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, state, wanted, lastError, gateway, virtualIps, childSas, connectedSince);
    }

    @Override
    public String toString() {
        return "ConnectionStatus[" + name + " " + state + (wanted ? " wanted" : "")
                + (lastError == null ? "" : ", error " + lastError)
                + (profileProblem == null ? "" : ", rejected update: " + profileProblem)
                + (waitingFor == null ? "" : ", waiting for " + waitingFor)
                + (degradation == null ? "" : ", degraded: " + degradation)
                + (killSwitch ? ", kill switch" : "") + (blockedPackets < 0 ? "" : ", blocked " + blockedPackets)
                + (ikeSpiInitiator == null ? "" : String.format(", IKE %016x_i %016x_r", ikeSpiInitiator,
                        ikeSpiResponder == null ? 0L : ikeSpiResponder))
                + (gateway == null ? "" : ", gateway " + gateway) + (localAddress == null ? "" : ", local " + localAddress)
                + (natDetected ? ", NAT" : "") + (udpEncapsulated ? ", UDP-encap" : "")
                + (interfaceName == null ? "" : ", dev " + interfaceName)
                + (virtualIps.isEmpty() ? "" : ", vips " + virtualIps) + (dnsServers.isEmpty() ? "" : ", dns " + dnsServers)
                + (dnsDomains.isEmpty() ? "" : ", dns domains " + dnsDomains)
                + (childSas.isEmpty() ? "" : ", " + childSas) + ", handshakes " + handshakes + ", reconnects " + reconnects
                + (moves == 0 ? "" : ", moves " + moves + " (" + moveOutage.toMillis() + " ms)")
                + (uplink == null ? "" : ", uplink " + uplink)
                + ", uptime " + uptime.toSeconds() + "s]";
    }

    /** Collects the values of a {@link ConnectionStatus}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private ConnectionState state = ConnectionState.DISABLED;
        private boolean wanted;
        private ConnectionError lastError;
        private int failedAttempts;
        private Instant nextAttempt;
        private InetSocketAddress gateway;
        private InetSocketAddress localAddress;
        private boolean natDetected;
        private boolean udpEncapsulated;
        private String ikeAlgorithms;
        private String interfaceName;
        private List<InetAddress> virtualIps = List.of();
        private List<InetAddress> dnsServers = List.of();
        private List<String> dnsDomains = List.of();
        private List<ChildSaStatus> childSas = new ArrayList<>();
        private Map<DropReason, Long> drops = Map.of();
        private Duration handshakeDuration;
        private Duration livenessRtt;
        private Instant connectedSince;
        private Duration uptime;
        private Long ikeSpiInitiator;
        private Long ikeSpiResponder;
        private Instant ikeEstablished;
        private Instant ikeRekeyBy;
        private int reconnects;
        private long handshakes;
        private String profileProblem;
        private String waitingFor;
        private String degradation;
        private int degradations;
        private boolean killSwitch;
        private long blockedPackets = -1;
        private int moves;
        private String uplink;
        private Duration moveOutage = Duration.ZERO;

        private Builder(String name) {
            this.name = name;
        }

        public Builder state(ConnectionState s) { state = s; return this; }
        public Builder wanted(boolean w) { wanted = w; return this; }
        /** {@code null}: no error. */
        public Builder lastError(ConnectionError e) { lastError = e; return this; }
        public Builder failedAttempts(int n) { failedAttempts = n; return this; }
        public Builder nextAttempt(Instant t) { nextAttempt = t; return this; }
        public Builder gateway(InetSocketAddress a) { gateway = a; return this; }
        public Builder localAddress(InetSocketAddress a) { localAddress = a; return this; }
        public Builder natDetected(boolean n) { natDetected = n; return this; }
        public Builder udpEncapsulated(boolean u) { udpEncapsulated = u; return this; }
        public Builder ikeAlgorithms(String a) { ikeAlgorithms = a; return this; }
        public Builder interfaceName(String n) { interfaceName = n; return this; }
        public Builder virtualIps(List<InetAddress> v) { virtualIps = List.copyOf(v); return this; }
        public Builder dnsServers(List<InetAddress> d) { dnsServers = List.copyOf(d); return this; }
        public Builder dnsDomains(List<String> d) { dnsDomains = List.copyOf(d); return this; }
        public Builder childSas(List<ChildSaStatus> c) { childSas = new ArrayList<>(c); return this; }
        public Builder drops(Map<DropReason, Long> d) { drops = Map.copyOf(d); return this; }
        public Builder handshakeDuration(Duration d) { handshakeDuration = d; return this; }
        public Builder livenessRtt(Duration d) { livenessRtt = d; return this; }
        /** {@code null}: no IKE SA. */
        public Builder ikeSpiInitiator(Long spi) { ikeSpiInitiator = spi; return this; }
        /** {@code null}: no IKE SA. */
        public Builder ikeSpiResponder(Long spi) { ikeSpiResponder = spi; return this; }
        public Builder ikeEstablished(Instant t) { ikeEstablished = t; return this; }
        public Builder ikeRekeyBy(Instant t) { ikeRekeyBy = t; return this; }
        public Builder reconnects(int n) { reconnects = n; return this; }
        /** @since 2.1 */
        public Builder moves(int n) { moves = n; return this; }
        /** @since 2.2 */
        public Builder uplink(String name) { uplink = name; return this; }
        /** @since 2.2 */
        public Builder moveOutage(Duration d) { moveOutage = Objects.requireNonNull(d, "moveOutage"); return this; }
        public Builder handshakes(long n) { handshakes = n; return this; }
        /** {@code null}: the last configuration was accepted. */
        public Builder profileProblem(String p) { profileProblem = p; return this; }
        /** {@code null}: no service missing. */
        public Builder waitingFor(String service) { waitingFor = service; return this; }
        /** {@code null}: not degraded. */
        public Builder degradation(String why) { degradation = why; return this; }
        public Builder degradations(int n) { degradations = n; return this; }
        public Builder killSwitch(boolean engaged) { killSwitch = engaged; return this; }
        public Builder blockedPackets(long n) { blockedPackets = n; return this; }

        /** Since when the connection is up; {@link #build()} derives the uptime with {@link #takenAt(Instant)}. */
        public Builder connectedSince(Instant t) { connectedSince = t; return this; }

        /**
         * The moment of the snapshot: the uptime is the time since {@link #connectedSince} while the tunnel is
         * established (CONNECTED, or DEGRADED: established but its traffic does not flow).
         */
        public Builder takenAt(Instant now) {
            boolean established = state == ConnectionState.CONNECTED || state == ConnectionState.DEGRADED;
            uptime = established && connectedSince != null && now.isAfter(connectedSince)
                    ? Duration.between(connectedSince, now) : Duration.ZERO;
            return this;
        }

        public ConnectionStatus build() {
            return new ConnectionStatus(this);
        }
    }
}
