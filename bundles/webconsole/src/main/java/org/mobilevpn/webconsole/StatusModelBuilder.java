package org.mobilevpn.webconsole;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.policy.ConnectionError;
import org.mobilevpn.api.policy.ConnectionEvent;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.VpnProfile;

/**
 * Builds the {@link StatusSnapshot} from the api services: the one place where the page's figures are
 * derived (throughput from counter deltas, time to the next rekey, the last error in words). The page,
 * the JSON, the metrics and the inventory printer only render what it built.
 */
final class StatusModelBuilder {
    /** Events shown at most. */
    static final int MAX_EVENTS = 50;

    private final ThroughputMeter meter;

    /** @param meter follows counters between snapshots for the throughput; null: throughput stays unknown */
    StatusModelBuilder(ThroughputMeter meter) {
        this.meter = meter;
    }

    /**
     * A snapshot of every connection the manager knows, at {@code now}.
     *
     * @param manager      the Policy Manager, or null when its service is absent
     * @param provisioning the provisioning check result to show, or null
     * @param events       recent events as the event log keeps them (oldest first), or null without an event log
     */
    StatusSnapshot build(Instant now, VpnManager manager, ProvisioningView provisioning, List<ConnectionEvent> events) {
        return build(now, manager, provisioning, events, null);
    }

    /**
     * As {@link #build(Instant, VpnManager, ProvisioningView, List)}, with the problems of invalid profiles.
     *
     * @param registry the profile registry, or null when its service is absent
     */
    StatusSnapshot build(Instant now, VpnManager manager, ProvisioningView provisioning, List<ConnectionEvent> events,
            ProfileRegistry registry) {
        List<String> profileProblems = new ArrayList<>();
        if (registry != null) {
            try {
                registry.problems().forEach(p -> profileProblems.add(p.toString()));
            } catch (RuntimeException e) {
                profileProblems.add("the profile registry did not answer: " + e);
            }
        }
        List<ConnectionView> views = new ArrayList<>();
        String problem = null;
        if (manager != null) {
            try {
                for (ConnectionStatus status : manager.statusAll()) {
                    views.add(view(status, now, uplinks(registry, status.name())));
                }
            } catch (RuntimeException e) {
                // the service may be going away while we ask; the page says so instead of failing
                views.clear();
                problem = "the Policy Manager did not answer: " + e;
            }
        }
        if (meter != null && problem == null) {
            Set<String> names = new HashSet<>();
            views.forEach(v -> names.add(v.name()));
            meter.retain(names);
        }
        List<EventView> recent = new ArrayList<>();
        if (events != null) {
            for (int i = events.size() - 1; i >= 0 && recent.size() < MAX_EVENTS; i--) {
                recent.add(event(events.get(i)));
            }
        }
        return new StatusSnapshot(now, manager != null && problem == null, problem, views, provisioning,
                events != null, recent, profileProblems);
    }

    /** The profile's {@code uplinks} (empty without the key, the profile or the registry), as vpn:status shows them. */
    private static List<String> uplinks(ProfileRegistry registry, String name) {
        if (registry == null) {
            return List.of();
        }
        try {
            return registry.profile(name).map(VpnProfile::uplinks).orElse(List.of());
        } catch (RuntimeException e) {
            return List.of(); // the registry going away while we ask: the rest of the page still shows
        }
    }

    /** The view of one connection at {@code now}, whose profile prefers {@code uplinks}. */
    ConnectionView view(ConnectionStatus s, Instant now, List<String> uplinks) {
        List<ChildSaView> childSas = new ArrayList<>();
        Instant earliestRekey = s.ikeRekeyBy().orElse(null);
        for (ChildSaStatus sa : s.childSas()) {
            childSas.add(childSa(sa, now));
            earliestRekey = earliest(earliestRekey, sa.nextRekey());
        }
        Throughput throughput = meter == null ? Throughput.UNKNOWN : meter.sample(s.name(), s.childSas(), now);
        if (s.childSas().isEmpty()) {
            throughput = Throughput.UNKNOWN; // no tunnel: "–" rather than a rate of zero
        }
        String ikeSpis = s.ikeSpiInitiator().isPresent()
                ? String.format("%016x_i %016x_r", s.ikeSpiInitiator().getAsLong(), s.ikeSpiResponder().orElse(0))
                : null;
        IkeSaView ike = new IkeSaView(s.ikeAlgorithms().orElse(null), ikeSpis, s.ikeEstablished().orElse(null),
                s.ikeRekeyBy().map(t -> until(now, t)).orElse(null), s.handshakeDuration().orElse(null),
                s.livenessRtt().orElse(null), s.handshakes(), s.reconnects());
        Map<String, Long> drops = new LinkedHashMap<>();
        s.drops().forEach((reason, count) -> drops.put(reason.name(), count));
        return new ConnectionView(s.name(), s.state(), s.wanted(), address(s.gateway().orElse(null)),
                address(s.localAddress().orElse(null)), addresses(s.virtualIps()), addresses(s.dnsServers()), s.dnsDomains(),
                s.natDetected(), s.udpEncapsulated(), s.interfaceName().orElse(null), s.uptime(), throughput,
                earliestRekey == null ? null : until(now, earliestRekey), s.lastError().map(StatusModelBuilder::error).orElse(null),
                s.failedAttempts(), s.nextAttempt().map(t -> until(now, t)).orElse(null), ike, childSas, drops,
                s.bytesIn(), s.bytesOut(), s.packetsIn(), s.packetsOut(), s.connectedSince().orElse(null),
                s.profileProblem().orElse(null), s.degradation().orElse(null), s.degradations(), s.uplink().orElse(null),
                uplinks, s.moves(), s.moveOutage());
    }

    /** An event in words: {@code CONNECTING -> CONNECTED}, and why. */
    static EventView event(ConnectionEvent e) {
        String kind = e.topic().equals(VpnManager.TOPIC_REKEYED) ? "REKEYED"
                : (e.previous() == null ? "" : e.previous() + " -> ") + e.state();
        String why = e.reason();
        for (FailureReason r : FailureReason.values()) {
            if (r.name().equals(e.reason())) {
                why = e.reason() + " (" + DisplayText.reason(r) + ")";
            }
        }
        return new EventView(e.time(), e.name(), kind, e.message().isEmpty() ? why : why + ": " + e.message());
    }

    private static ChildSaView childSa(ChildSaStatus sa, Instant now) {
        Map<String, Long> drops = new LinkedHashMap<>();
        sa.drops().forEach((status, count) -> drops.put(status.name(), count));
        return new ChildSaView(sa.childSaId(), spi(sa.spiIn()), spi(sa.spiOut()), sa.algorithms(), sa.udpEncapsulated(),
                sa.localTs().stream().map(Object::toString).toList(), sa.remoteTs().stream().map(Object::toString).toList(),
                sa.bytesIn(), sa.packetsIn(), sa.bytesOut(), sa.packetsOut(), drops, sa.established(),
                until(now, sa.nextRekey()));
    }

    static ErrorView error(ConnectionError e) {
        return new ErrorView(e.reason().name(), DisplayText.reason(e.reason()), e.message(), e.time());
    }

    /** An ESP SPI as strongSwan prints it: 8 hex digits. */
    static String spi(int spi) {
        return String.format("%08x", spi);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    /** Time from now until t, zero if t has passed. */
    private static Duration until(Instant now, Instant t) {
        return t.isAfter(now) ? Duration.between(now, t) : Duration.ZERO;
    }

    private static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static List<String> addresses(List<InetAddress> list) {
        return list.stream().map(InetAddress::getHostAddress).toList();
    }
}
