package org.mobilevpn.policy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.TunnelConfig;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.api.policy.ConnectionRecord;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.mobilevpn.api.vnic.VnicConfig;
import org.mobilevpn.api.vnic.VnicException;

/**
 * Everything one established tunnel consists of below IKE, and nothing else: the virtual NIC (address,
 * routes, DNS), the data path tunnel with its SPD, and the ESP SA records the data path was given.
 * The records stay here (state is data: a rebuilt data path gets the same records again).
 *
 * <p>Rekeying follows RFC 7296 §2.8: the new inbound SA is installed before outbound traffic switches
 * to the new outbound SA, and the old inbound SA keeps decrypting until the engine reports the old
 * Child SA deleted, so packets the gateway sent before it switched are not lost. When the gateway started
 * the rekey, outbound traffic switches only once the gateway deletes the replaced SA ({@link #rekeyByPeer}):
 * until our answer reaches it, the gateway has no inbound SA for the new one.
 *
 * <p>A swap of the data path bundle detaches the tunnel and attaches a new one built from the same records
 * ({@link #detachDataPath()}, {@link #attachDataPath}); the NIC and the SAs stay. A swap of the vnic bundle
 * does the same with the NIC ({@link #detachNic()}, {@link #attachNic}): the leaving bundle keeps the device
 * with its addresses and routes, the next one hands it back by name.
 *
 * <p>{@link #close()} takes it all down in order — tunnel threads, NIC (with its routes and DNS), key
 * records — and exactly once. Used on the policy thread only, except {@link #counters()}.
 */
final class TunnelPlumbing implements AutoCloseable {

    /** One installed Child SA: its current SA pair and what the status shows of it. */
    private record Child(int childSaId, EspSa in, EspSa out, ChildSaStatus status) {
    }

    /** A replacement the gateway made: receiving already, sending once {@code replacedSpiIn} is deleted. */
    private record Pending(int replacedSpiIn, Child child) {
    }

    private final PolicySettings settings;
    private final VpnProfile profile;
    private VirtualNic nic;
    /**
     * The NIC's bundle is being replaced: {@link #nic}, kept by the leaving bundle, still carries packets but takes no
     * configuration; the device waits for {@link #attachNic}.
     */
    private boolean nicDetached;
    /** The NAT keepalive interval the tunnel uses now ({@link #keepaliveFor}). */
    private Duration keepalive;
    private final EspSaListener lifetimeListener;
    /** The data path's tunnel; null while the data path is being replaced ({@link #detachDataPath()}). */
    private DataPathTunnel tunnel;
    /** Where ESP goes: the gateway's NAT-T endpoint, moved by {@link #updateGateway}. */
    private InetSocketAddress espGateway;
    private List<InetAddress> virtualIps;
    private List<InetAddress> dnsServers;
    private List<String> dnsDomains;
    private final InetAddress gateway;
    private final Map<Integer, Child> children = new LinkedHashMap<>();
    /**
     * Replacements from the gateway's rekeys, by inbound SPI: installed inbound, sent with once the SA they
     * replace ({@code replacedSpiIn}) is deleted.
     */
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    /** Inbound SAs replaced by a rekey, by SPI, still decrypting until their Child SA is deleted. */
    private final Map<Integer, EspSa> retiredInbound = new LinkedHashMap<>();
    private VnicConfig vnicConfig;
    /** Sequence numbers the detached tunnel reached; set between detach and attach. */
    private SequenceNumberCarryOver carryOver;
    private boolean closed;

    private TunnelPlumbing(PolicySettings settings, VpnProfile profile, VirtualNic nic, TunnelConfig tunnelConfig,
            DataPathTunnel tunnel, List<InetAddress> virtualIps, List<InetAddress> dnsServers, List<String> dnsDomains,
            InetAddress gateway, VnicConfig vnicConfig) {
        this.settings = settings;
        this.profile = profile;
        this.nic = nic;
        this.keepalive = tunnelConfig.keepaliveInterval();
        this.lifetimeListener = tunnelConfig.lifetimeListener();
        this.espGateway = tunnelConfig.gateway();
        this.tunnel = tunnel;
        this.virtualIps = List.copyOf(virtualIps);
        this.dnsServers = List.copyOf(dnsServers);
        this.dnsDomains = List.copyOf(dnsDomains);
        this.gateway = gateway;
        this.vnicConfig = vnicConfig;
    }

    /**
     * Opens the virtual NIC for the first Child SA, starts the data path tunnel on it and installs the
     * SA pair. Takes ownership of {@code first} (closes it: its keys now live in the ESP records). On
     * failure nothing is left open.
     */
    static TunnelPlumbing open(VirtualNicFactory nics, DataPath dataPath, PolicySettings settings, VpnProfile profile,
            int childSaId, ChildSaInfo first, Instant now, EspSaListener lifetimeListener) throws IOException {
        EspSa in = null;
        EspSa out = null;
        VirtualNic nic = null;
        DataPathTunnel tunnel = null;
        try (first) {
            if (nics == null || dataPath == null) {
                throw new IOException("no " + (nics == null ? "VirtualNicFactory" : "DataPath") + " service");
            }
            in = EspSaMapping.inbound(childSaId, first);
            out = EspSaMapping.outbound(childSaId, first);
            List<TunnelLayout.ChildSelectors> selectors =
                    List.of(new TunnelLayout.ChildSelectors(childSaId, first.localTs(), first.remoteTs()));
            InetAddress gateway = first.remoteEndpoint().getAddress();
            VnicConfig config = TunnelLayout.vnicConfig(settings, profile, first.virtualIps(), first.dnsServers(),
                    first.dnsDomains(), gateway, out, selectors);
            nic = nics.open(config);
            TunnelConfig tunnelConfig = new TunnelConfig(nic, first.remoteEndpoint(), TunnelLayout.spd(profile, selectors),
                    keepaliveFor(profile, first.nat()), lifetimeListener);
            tunnel = dataPath.openTunnel(tunnelConfig);
            tunnel.installSaPair(in, out);
            TunnelPlumbing p = new TunnelPlumbing(settings, profile, nic, tunnelConfig, tunnel, first.virtualIps(),
                    first.dnsServers(), first.dnsDomains(), gateway, config);
            p.children.put(childSaId, new Child(childSaId, in, out, status(childSaId, first, now)));
            return p;
        } catch (IOException | RuntimeException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            if (nic != null) {
                nic.close();
            }
            closeQuietly(in);
            closeQuietly(out);
            throw e;
        }
    }

    /** Installs a further Child SA of the same IKE SA (CREATE_CHILD_SA); takes ownership of {@code info}. */
    void addChild(int childSaId, ChildSaInfo info, Instant now) throws IOException {
        try (info) {
            EspSa in = EspSaMapping.inbound(childSaId, info);
            EspSa out;
            try {
                out = EspSaMapping.outbound(childSaId, info);
                if (tunnel != null) {
                    tunnel.installSaPair(in, out);
                }
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
            children.put(childSaId, new Child(childSaId, in, out, status(childSaId, info, now)));
            applyLayout();
        }
    }

    /**
     * Replaces the Child SA whose inbound SPI is {@code replacedSpiIn} by its rekeyed successor: new inbound
     * first, then outbound switches (one call of the data path does both, in that order). The old outbound
     * record is wiped now; the old inbound keeps working until {@link #childDeleted} names it.
     *
     * @return false when no installed Child SA has that SPI (the replacement is then ignored and wiped)
     */
    boolean rekey(int replacedSpiIn, ChildSaInfo replacement, Instant now) throws IOException {
        try (replacement) {
            Child old = bySpiIn(replacedSpiIn);
            if (old == null) {
                return false;
            }
            Child next = records(old.childSaId(), replacement, now);
            try {
                if (tunnel != null) {
                    tunnel.installSaPair(next.in(), next.out());
                }
            } catch (RuntimeException e) {
                next.in().close();
                next.out().close();
                throw e;
            }
            replace(old, next, true);
            return true;
        }
    }

    /**
     * The gateway rekeyed the Child SA whose inbound SPI is {@code replacedSpiIn} (we answered): the new inbound
     * SA is installed now, since the gateway sends with it as soon as it has our answer; outbound traffic stays on
     * the replaced SA until {@link #childDeleted} names that one (the gateway deletes it once it has our answer),
     * because packets sent with the new one before our answer arrives would be dropped by the gateway.
     *
     * @return false when no installed Child SA has that SPI (the replacement is then ignored and wiped)
     */
    boolean rekeyByPeer(int replacedSpiIn, ChildSaInfo replacement, Instant now) {
        try (replacement) {
            Child old = bySpiIn(replacedSpiIn);
            if (old == null) {
                return false;
            }
            Child next = records(old.childSaId(), replacement, now);
            try {
                if (tunnel != null) {
                    tunnel.installInbound(next.in());
                }
            } catch (RuntimeException e) {
                next.in().close();
                next.out().close();
                throw e;
            }
            pending.put(next.in().spi(), new Pending(replacedSpiIn, next));
            return true;
        }
    }

    /**
     * A new IKE SA's first Child SA takes this tunnel over from the Child SA {@code replacedSpiIn} of the IKE SA it
     * replaces ({@link MakeBeforeBreak}): installed as a rekey is, and when the gateway gave other virtual IPs (or DNS
     * servers) this time, the same device gets them (new addresses first, then the old ones go), so no route to the
     * tunnel is ever missing. Takes ownership of {@code first}.
     *
     * @return false when no installed Child SA has that SPI (nothing is changed, {@code first} is wiped)
     */
    boolean takeOver(int replacedSpiIn, ChildSaInfo first, Instant now) throws IOException {
        NatState nat = first.nat();
        List<InetAddress> vips = List.copyOf(first.virtualIps());
        List<InetAddress> dns = List.copyOf(first.dnsServers());
        List<String> domains = List.copyOf(first.dnsDomains());
        if (bySpiIn(replacedSpiIn) == null) {
            first.close();
            return false;
        }
        boolean readdress = !vips.equals(virtualIps) || !dns.equals(dnsServers) || !domains.equals(dnsDomains);
        virtualIps = vips;
        dnsServers = dns;
        dnsDomains = domains;
        rekey(replacedSpiIn, first, now);
        followNat(nat); // the new IKE SA may have come over another path, behind a NAT or out of one
        if (readdress) {
            VnicConfig next = onThisDevice(TunnelLayout.vnicConfig(settings, profile, virtualIps, dnsServers, dnsDomains,
                    gateway, children.values().iterator().next().out(), selectors()), true);
            nic.reconfigure(next);
            vnicConfig = next;
        }
        return true;
    }

    /** The ESP records of a replacement of Child SA {@code childSaId}; closes neither on success. */
    private static Child records(int childSaId, ChildSaInfo replacement, Instant now) {
        EspSa in = EspSaMapping.inbound(childSaId, replacement);
        try {
            return new Child(childSaId, in, EspSaMapping.outbound(childSaId, replacement), status(childSaId, replacement, now));
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * {@code next}, installed, takes over from {@code old}: the old outbound record is wiped; the old inbound SA
     * keeps decrypting packets still in flight ({@code oldInboundStays}) or, deleted already, goes too.
     */
    private void replace(Child old, Child next, boolean oldInboundStays) throws IOException {
        children.put(old.childSaId(), next);
        if (oldInboundStays) {
            retiredInbound.put(old.in().spi(), old.in());
        } else {
            if (tunnel != null) {
                tunnel.removeInbound(old.in().spi());
            }
            old.in().close();
        }
        old.out().close();
        if (!old.status().localTs().equals(next.status().localTs()) || !old.status().remoteTs().equals(next.status().remoteTs())) {
            applyLayout(); // the gateway narrowed the selectors differently this time
        }
    }

    /**
     * The engine deleted the Child SA with this inbound SPI: a retired inbound SA of a rekey goes alone;
     * a current Child SA goes with all its SAs, and the routes and SPD follow.
     *
     * @return whether any Child SA is still installed
     */
    boolean childDeleted(int spiIn) throws IOException {
        EspSa retired = retiredInbound.remove(spiIn);
        Pending unused = pending.remove(spiIn);
        if (retired != null || unused != null) {
            if (tunnel != null) {
                tunnel.removeInbound(spiIn);
            }
            if (retired != null) {
                retired.close();
            } else {
                unused.child().in().close();
                unused.child().out().close();
            }
            return !children.isEmpty();
        }
        Child gone = bySpiIn(spiIn);
        Pending successor = gone == null ? null : successorOf(spiIn);
        if (successor != null) {
            // the gateway deleted what it had replaced, so it has our answer: send with the replacement now
            pending.remove(successor.child().in().spi());
            if (tunnel != null) {
                tunnel.installOutbound(successor.child().out());
            }
            replace(gone, successor.child(), false);
            return true;
        }
        if (gone != null) {
            children.remove(gone.childSaId());
            if (tunnel != null) {
                tunnel.removeChildSa(gone.childSaId());
            }
            gone.in().close();
            gone.out().close();
            retiredInbound.values().removeIf(sa -> {
                if (sa.childSaId() == gone.childSaId()) {
                    sa.close();
                    return true;
                }
                return false;
            });
            pending.values().removeIf(p -> {
                if (p.child().childSaId() == gone.childSaId()) {
                    p.child().in().close();
                    p.child().out().close();
                    return true;
                }
                return false;
            });
            if (!children.isEmpty()) {
                applyLayout();
            }
        }
        return !children.isEmpty();
    }

    /** The newest pending replacement of the SA with this inbound SPI, or null. */
    private Pending successorOf(int replacedSpiIn) {
        Pending newest = null;
        for (Pending p : pending.values()) {
            if (p.replacedSpiIn() == replacedSpiIn) {
                newest = p;
            }
        }
        return newest;
    }

    boolean hasChildren() {
        return !children.isEmpty();
    }

    /** The inbound SPI of the Child SA one of whose current SAs (either direction) has this SPI, or {@code null}. */
    Integer spiInOf(int spi) {
        for (Child c : children.values()) {
            if (c.in().spi() == spi || c.out().spi() == spi) {
                return c.in().spi();
            }
        }
        return null;
    }

    /** The current Child SA with the data path's id {@code childSaId} as installed, or {@code null}. */
    ChildSaStatus child(int childSaId) {
        Child c = children.get(childSaId);
        return c == null ? null : c.status();
    }

    /** The Child SAs as installed (counters zero; {@link StatusView} adds them). */
    List<ChildSaStatus> childStatuses() {
        List<ChildSaStatus> out = new ArrayList<>();
        children.values().forEach(c -> out.add(c.status()));
        return out;
    }

    List<InetAddress> virtualIps() {
        return virtualIps;
    }

    List<InetAddress> dnsServers() {
        return dnsServers;
    }

    List<String> dnsDomains() {
        return dnsDomains;
    }

    /** The destinations this tunnel carries now ({@link TunnelLayout#tunnelledPrefixes}); empty once closed. */
    List<IpPrefix> tunnelledPrefixes() {
        return closed ? List.of() : TunnelLayout.tunnelledPrefixes(profile, selectors());
    }

    /**
     * Keeps IKE and ESP to the gateway's {@code path.remote()} outside a full tunnel, and with the profile's
     * {@code uplinks} on the uplink chosen by it, out of the path's uplink ({@link VirtualNic#routeGateway}); false
     * when neither applies, or while the NIC's bundle is being replaced (the kept device's journal carries the route
     * the path had before).
     */
    boolean routeGateway(NetworkPath path) throws VnicException {
        if (!routesGateway() || nicDetached || closed) {
            return false;
        }
        nic.routeGateway(path.remote(), path.uplink(), path.nextHop());
        return true;
    }

    /**
     * Whether the gateway's host route names the uplink: with a full tunnel (whose routes would capture IKE and ESP
     * but for it), or when the profile prefers uplinks (the kernel's route may lead out of another).
     */
    boolean routesGateway() {
        return fullTunnel() || !profile.uplinks().isEmpty();
    }

    /** The profile's {@code uplinks}, most preferred first (empty: the kernel's route). */
    List<String> uplinks() {
        return profile.uplinks();
    }

    /** Whether the NIC captures everything (its routes would capture IKE and ESP but for the gateway's host route). */
    boolean fullTunnel() {
        return vnicConfig != null && vnicConfig.fullTunnel();
    }

    String interfaceName() {
        return nic.name();
    }

    /** The tunnel whose counters a status snapshot reads (safe from any thread), or null while detached. */
    DataPathTunnel tunnel() {
        return tunnel;
    }

    /**
     * The NAT keepalive interval for an IKE SA in this NAT state (RFC 3948 §2.3): the profile's {@code keepalive}
     * when we are behind a NAT (the mapping must not expire while the tunnel is idle), none otherwise. The one
     * place that decides it, for the first tunnel, a new IKE SA taking it over and a move.
     */
    static Duration keepaliveFor(VpnProfile profile, NatState nat) {
        return nat.localBehindNat() ? profile.keepalive() : Duration.ZERO;
    }

    /**
     * The current IKE SA's NAT state changed (a MOBIKE move with fresh NAT detection, or a new IKE SA over another
     * path): keepalives start when a NAT now sits in front of us and stop when none does.
     */
    void followNat(NatState nat) {
        Duration next = keepaliveFor(profile, nat);
        if (next.equals(keepalive)) {
            return;
        }
        keepalive = next;
        if (tunnel != null) {
            tunnel.keepaliveInterval(next);
        }
    }

    /** The gateway's ESP endpoint moved (a new NAT mapping): ESP and keepalives go there from now on. */
    void updateGateway(InetSocketAddress endpoint) {
        espGateway = endpoint;
        if (tunnel != null) {
            tunnel.updateGateway(endpoint);
        }
    }

    /**
     * The data path is going away (its bundle stops or is updated): its tunnel stops now, while the data path
     * still works, and leaves its final counters behind. The NIC with its address and routes, and every SA
     * record, stay: {@link #attachDataPath} rebuilds the tunnel from them.
     */
    void detachDataPath() {
        if (tunnel == null) {
            return;
        }
        DataPathTunnel old = tunnel;
        tunnel = null;
        old.close();
        carryOver = new SequenceNumberCarryOver(old.counters());
    }

    /**
     * Rebuilds the tunnel on a new data path from the kept records: the same SAs, their sequence numbers
     * continued ({@link SequenceNumberCarryOver}), the same SPD and gateway endpoint. On failure nothing of
     * the new tunnel stays open and the plumbing stays detached. A NIC whose factory left ({@link #detachNic})
     * still carries packets: the tunnel runs on it until {@link #attachNic}.
     */
    void attachDataPath(DataPath dataPath) throws IOException {
        if (tunnel != null) {
            return;
        }
        tunnel = openTunnel(dataPath, carryOver::continued);
        carryOver = null;
    }

    /** A tunnel on {@code dataPath} with every kept SA installed as {@code continued} says. */
    private DataPathTunnel openTunnel(DataPath dataPath, UnaryOperator<EspSa> continued) throws IOException {
        DataPathTunnel t = dataPath.openTunnel(new TunnelConfig(nic, espGateway, TunnelLayout.spd(profile, selectors()),
                keepalive, lifetimeListener));
        try {
            for (Child c : children.values()) {
                t.installSaPair(continued.apply(c.in()), continued.apply(c.out()));
            }
            for (EspSa retired : retiredInbound.values()) {
                t.installInbound(continued.apply(retired));
            }
            for (Pending p : pending.values()) {
                t.installInbound(continued.apply(p.child().in()));
            }
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /**
     * The policy manager goes away while the framework runs (its bundle is updated): the tunnel stops, and the
     * NIC (still open) and the SA records, with the sequence numbers the tunnel reached, go into a
     * {@link ConnectionRecord} for its successor ({@link #adopt}). This plumbing owns nothing afterwards.
     *
     * A rekey of the gateway's that is half done (answered, the old Child SA not yet deleted) goes along: its
     * replacement is installed inbound only, and the successor sends with it once the gateway deletes the old one.
     *
     * @throws IllegalStateException when the tunnel cannot be described completely (it is detached); the plumbing
     *         is then unchanged
     */
    ConnectionRecord handOver(String name, InetSocketAddress ikeGateway, IkeSaRecord ike, Instant now) {
        if (nicDetached || tunnel == null) {
            throw new IllegalStateException("the tunnel is detached");
        }
        detachDataPath();
        List<ConnectionRecord.Child> kept = new ArrayList<>();
        for (Child c : children.values()) {
            kept.add(new ConnectionRecord.Child(carryOver.continued(c.in()), carryOver.continued(c.out()), c.status()));
        }
        List<EspSa> retired = new ArrayList<>();
        retiredInbound.values().forEach(sa -> retired.add(carryOver.continued(sa)));
        List<ConnectionRecord.Replacement> replacements = new ArrayList<>();
        for (Pending p : pending.values()) { // never sent with: no outbound sequence number to carry over
            replacements.add(new ConnectionRecord.Replacement(p.replacedSpiIn(), new ConnectionRecord.Child(
                    carryOver.continued(p.child().in()), p.child().out(), p.child().status())));
        }
        ConnectionRecord record = new ConnectionRecord(name, ikeGateway, ike, nic, vnicConfig, gateway, espGateway,
                keepalive, kept, retired, virtualIps, dnsServers, now, replacements);
        children.clear(); // the record shares their keys and owns them now
        retiredInbound.clear();
        pending.clear();
        closed = true;
        return record;
    }

    /**
     * Goes on with a tunnel the policy manager before this one handed over: the same NIC, SAs and sequence
     * numbers, on a new data path tunnel. Takes ownership of the record's NIC and ESP records, not of its IKE SA.
     * On failure the record is untouched (the caller gives it up).
     */
    static TunnelPlumbing adopt(ConnectionRecord r, DataPath dataPath, PolicySettings settings, VpnProfile profile,
            EspSaListener lifetimeListener) throws IOException {
        TunnelConfig config = new TunnelConfig(r.nic(), r.espGateway(), TunnelLayout.spd(profile, List.of()), r.keepalive(),
                lifetimeListener);
        TunnelPlumbing p = new TunnelPlumbing(settings, profile, r.nic(), config, null, r.virtualIps(), r.dnsServers(),
                r.vnicConfig().searchDomains(), r.gateway(), r.vnicConfig());
        for (ConnectionRecord.Child c : r.children()) {
            int id = c.status().childSaId();
            p.children.put(id, new Child(id, c.inbound(), c.outbound(), c.status()));
        }
        r.retiredInbound().forEach(sa -> p.retiredInbound.put(sa.spi(), sa));
        for (ConnectionRecord.Replacement rp : r.pending()) {
            ConnectionRecord.Child c = rp.child();
            p.pending.put(c.inbound().spi(), new Pending(rp.replacedSpiIn(),
                    new Child(c.status().childSaId(), c.inbound(), c.outbound(), c.status())));
        }
        p.tunnel = p.openTunnel(dataPath, UnaryOperator.identity());
        return p;
    }

    /**
     * The virtual NIC factory is going away (its bundle stops or is updated) and keeps the device, open, for its
     * successor: the tunnel goes on reading and writing through the NIC it has (packets keep flowing during the
     * update); only its configuration can no longer change. {@link #attachNic} goes on on the successor's handle.
     */
    void detachNic() {
        nicDetached = true;
    }

    /**
     * Takes the device back from the next factory by name, with the configuration last applied to it, then moves
     * the tunnel onto the new handle (the SA records and sequence numbers carried over as for a new data path) and
     * lets go of the old handle, which closes only its own descriptor: the device kept a reader throughout
     * (issue 11). If no data path is there the tunnel is rebuilt when one comes. On failure to open, the plumbing
     * stays detached on the old handle.
     */
    void attachNic(VirtualNicFactory nics, DataPath dataPath) throws IOException {
        if (!nicDetached) {
            return;
        }
        VnicConfig same = vnicConfig.toBuilder().name(nic.name()).build();
        VirtualNic old = nic;
        nic = nics.open(same);
        vnicConfig = same;
        nicDetached = false;
        try {
            detachDataPath();
            if (dataPath != null) {
                attachDataPath(dataPath);
            }
        } finally {
            old.close();
        }
    }

    /** Stops the tunnel, removes the NIC with its routes and DNS, wipes every ESP record. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (tunnel != null) {
                tunnel.close();
            }
        } finally {
            try {
                nic.close();
            } finally {
                children.values().forEach(c -> {
                    c.in().close();
                    c.out().close();
                });
                retiredInbound.values().forEach(EspSa::close);
                pending.values().forEach(p -> {
                    p.child().in().close();
                    p.child().out().close();
                });
                children.clear();
                retiredInbound.clear();
                pending.clear();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    private List<TunnelLayout.ChildSelectors> selectors() {
        List<TunnelLayout.ChildSelectors> selectors = new ArrayList<>();
        children.values().forEach(c -> selectors.add(
                new TunnelLayout.ChildSelectors(c.childSaId(), c.status().localTs(), c.status().remoteTs())));
        return selectors;
    }

    private void applyLayout() throws IOException {
        List<TunnelLayout.ChildSelectors> selectors = selectors();
        if (tunnel != null) {
            tunnel.updatePolicy(TunnelLayout.spd(profile, selectors));
        }
        EspSa anyOutbound = children.values().iterator().next().out();
        VnicConfig wanted = TunnelLayout.vnicConfig(settings, profile, virtualIps, dnsServers, dnsDomains, gateway, anyOutbound,
                selectors);
        // reconfigure() keeps name, addresses and MTU: only routes (and DNS) may change
        if (!wanted.routes().equals(vnicConfig.routes()) || wanted.fullTunnel() != vnicConfig.fullTunnel()) {
            VnicConfig next = onThisDevice(wanted, false);
            nic.reconfigure(next);
            vnicConfig = next;
        }
    }

    /**
     * {@code wanted}'s routes on this device (its name, MTU, offload and route metric stay); with {@code readdress}
     * also its addresses, DNS and excluded routes, else the device's own.
     */
    private VnicConfig onThisDevice(VnicConfig wanted, boolean readdress) {
        VnicConfig from = readdress ? wanted : vnicConfig;
        VnicConfig.Builder b = VnicConfig.builder().name(nic.name()).mtu(vnicConfig.mtu()).offload(vnicConfig.offload())
                .dnsStrategy(from.dnsStrategy()).routeMetric(vnicConfig.routeMetric());
        from.addresses().forEach(b::address);
        from.dnsServers().forEach(b::dnsServer);
        from.searchDomains().forEach(b::searchDomain);
        from.excludedRoutes().forEach(b::excludedRoute);
        wanted.routes().forEach(b::route);
        if (wanted.fullTunnel()) {
            b.fullTunnel(true);
            wanted.gateways().forEach(b::gateway);
        }
        return b.build();
    }

    private Child bySpiIn(int spiIn) {
        for (Child c : children.values()) {
            if (c.in().spi() == spiIn) {
                return c;
            }
        }
        return null;
    }

    private static ChildSaStatus status(int childSaId, ChildSaInfo info, Instant now) {
        return new ChildSaStatus(childSaId, info.spiIn(), info.spiOut(), info.encryption(),
                info.integrity(), info.esn(), info.nat().udpEncapsulation(), info.localTs(), info.remoteTs(), 0, 0, 0, 0,
                Map.of(), now, now.plus(info.rekeyTime()));
    }

    private static void closeQuietly(EspSa sa) {
        if (sa != null) {
            sa.close();
        }
    }
}
