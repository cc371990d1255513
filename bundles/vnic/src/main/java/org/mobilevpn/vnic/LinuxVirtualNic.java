package org.mobilevpn.vnic;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.vnic.DnsStrategy;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VnicConfig;
import org.mobilevpn.api.vnic.VnicException;
import org.osgi.service.log.Logger;

/**
 * A configured TUN device. Opening applies, in order: link MTU + up, addresses, host routes to
 * the gateways (before any full-tunnel route could capture the lookup), tunnel routes, DNS. Every
 * change outside the device is journaled first; {@link #close()} undoes them and closes the
 * descriptor, which makes the kernel drop the device with its addresses and routes.
 *
 * <p>Packet I/O ({@link #read}/{@link #write}) takes no lock; configuration changes are
 * serialized on this object and never touch the I/O path.
 *
 * <p>Across an update of the vnic bundle the device is {@linkplain #keep() kept} open with everything it
 * changed, and the next bundle {@linkplain #adopt adopts} it through a descriptor of its own ({@link KeptDevices}).
 */
final class LinuxVirtualNic implements VirtualNic {
    private final TunDevice tun;
    private final CommandRunner runner;
    private final IpCommands ip;
    private final VnicJournal journal;
    private final ResolvConfFile resolv;
    private final Logger log;
    private final Runnable onClose;
    /** Told of each gateway this NIC routes ({@link #routeGateway}): the factory's route to it is ours from then on. */
    private final Consumer<InetAddress> gatewayRouted;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final KeptDevices keptDevices;
    /** Set by {@link #keep()}: the device stays for the next vnic bundle; packet I/O goes on until {@link #close()}. */
    private volatile boolean kept;
    private final List<GatewayHostRoute> hostRoutes = new ArrayList<>();
    private final List<ExcludedRoute> excludedRoutes = new ArrayList<>();
    private volatile VnicConfig config;
    private final boolean offload;
    private final ByteBuffer superPacket;
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final TcpCoalescer coalescer;
    private int pendingSegments;
    private List<IpPrefix> appliedRoutes = List.of();
    private int appliedMetric;

    /**
     * A host route we added, with the journal entry that lets a later start remove it; {@code followed}: set by
     * {@link #routeGateway} (the connection's chosen uplink), so it stays until replaced or closed, full tunnel or not.
     */
    private record GatewayHostRoute(InetAddress gateway, List<String> spec, boolean ipv6, VnicJournal.Entry entry,
            boolean followed) {
    }

    /** A route that keeps an excluded destination outside the tunnel, with its journal entry. */
    private record ExcludedRoute(IpPrefix destination, List<String> spec, boolean ipv6, VnicJournal.Entry entry) {
    }

    private LinuxVirtualNic(TunDevice tun, VnicSettings settings, CommandRunner runner, Logger log, Runnable onClose,
            Consumer<InetAddress> gatewayRouted, boolean offload) {
        this.tun = tun;
        this.runner = runner;
        this.ip = new IpCommands(settings.ipExecutable());
        this.journal = new VnicJournal(settings.stateDir(), tun.name());
        this.keptDevices = new KeptDevices(settings.stateDir());
        this.resolv = new ResolvConfFile(settings.resolvConf(), VnicJournal.resolvBackup(settings.stateDir(), tun.name()));
        this.log = log;
        this.onClose = onClose;
        this.gatewayRouted = gatewayRouted;
        this.offload = offload;
        this.superPacket = offload ? ByteBuffer.allocateDirect(TunDevice.VNET_HDR_LEN + 65536) : null;
        this.coalescer = offload ? new TcpCoalescer() : null;
    }

    static LinuxVirtualNic open(VnicSettings settings, CommandRunner runner, VnicConfig config, Logger log,
            Runnable onClose, Consumer<InetAddress> gatewayRouted) throws VnicException {
        String requested = config.name() != null ? config.name() : settings.namePrefix() + "%d";
        TunDevice tun = TunDevice.open(settings.tunDevice(), requested, config.offload() ? TunDevice.IFF_VNET_HDR : 0);
        LinuxVirtualNic nic = new LinuxVirtualNic(tun, settings, runner, log, onClose, gatewayRouted, config.offload());
        try {
            nic.applyInitial(config);
        } catch (VnicException | RuntimeException e) {
            nic.close();
            throw e;
        }
        log.info("opened " + tun.name() + ": " + config);
        return nic;
    }

    /**
     * Attaches to {@code config.name()}, a device an earlier vnic bundle of this process {@linkplain #keep()
     * kept}, as it was left: addresses, routes, the gateway's host routes (from the journal) and DNS. The
     * configuration is the one last applied to it; it is applied again, which changes nothing that is there.
     * Through a second descriptor for the one the kept handle still reads ({@link TunDevice#attach}): the device
     * never loses its reader, and its link needs no {@code ip} command. Only if that descriptor is gone is the
     * device opened again by name and brought up.
     */
    static LinuxVirtualNic adopt(VnicSettings settings, CommandRunner runner, VnicConfig config, Logger log,
            Runnable onClose, Consumer<InetAddress> gatewayRouted) throws VnicException {
        int flags = config.offload() ? TunDevice.IFF_VNET_HDR : 0;
        int kept = new KeptDevices(settings.stateDir()).keptDescriptor(config.name());
        TunDevice tun;
        boolean stillOpen = true;
        try {
            tun = TunDevice.attach(kept, config.name(), flags);
        } catch (VnicException e) {
            log.info("the kept descriptor of " + config.name() + " cannot be shared (" + e.getMessage()
                    + "): opening the device by name");
            tun = TunDevice.open(settings.tunDevice(), config.name(), flags);
            stillOpen = false;
        }
        LinuxVirtualNic nic = new LinuxVirtualNic(tun, settings, runner, log, onClose, gatewayRouted, config.offload());
        try {
            tun.dropPersistence();
            nic.keptDevices.unmark(tun.name());
            nic.resume(config, !stillOpen);
        } catch (IOException | RuntimeException e) {
            nic.close();
            throw e instanceof VnicException v ? v : new VnicException("taking over " + tun.name() + " failed: " + e, e);
        }
        log.info("took over " + tun.name() + " from the previous vnic bundle" + (stillOpen ? " while it stayed open" : "")
                + ": " + config);
        return nic;
    }

    private synchronized void resume(VnicConfig c, boolean linkUp) throws IOException {
        for (VnicJournal.Entry e : journal.load()) {
            if (e.kind().startsWith("route")) {
                String prefix = e.args().get(0);
                InetAddress gateway = InetAddress.getByName(prefix.substring(0, prefix.indexOf('/')));
                // without a full tunnel only routeGateway sets host routes
                hostRoutes.add(new GatewayHostRoute(gateway, e.args(), e.kind().equals("route6"), e, !c.fullTunnel()));
            }
        }
        appliedRoutes = IpCommands.tunnelRoutes(c.routes(), c.fullTunnel(), c.addresses());
        appliedMetric = c.routeMetric();
        if (linkUp) {
            run(ip.linkUp(tun.name(), c.mtu()));
        }
        this.config = c;
        applyRoutesAndDns(c);
    }

    private synchronized void applyInitial(VnicConfig c) throws VnicException {
        run(ip.linkUp(tun.name(), c.mtu()));
        for (IpPrefix a : c.addresses()) {
            run(ip.addAddress(tun.name(), a));
        }
        this.config = c;
        applyRoutesAndDns(c);
    }

    private void applyRoutesAndDns(VnicConfig c) throws VnicException {
        syncGatewayRoutes(c.fullTunnel(), c.gateways());
        List<IpPrefix> wanted = IpCommands.tunnelRoutes(c.routes(), c.fullTunnel(), c.addresses());
        syncExcludedRoutes(c.excludedRoutes(), wanted);
        for (IpPrefix r : appliedRoutes) {
            if (!wanted.contains(r) || appliedMetric != c.routeMetric()) {
                runIgnoringFailure(ip.deleteRoute(tun.name(), r, appliedMetric));
            }
        }
        List<IpPrefix> now = new ArrayList<>();
        for (IpPrefix r : appliedRoutes) {
            if (wanted.contains(r) && appliedMetric == c.routeMetric()) {
                now.add(r);
            }
        }
        appliedRoutes = now;
        appliedMetric = c.routeMetric();
        for (IpPrefix r : wanted) {
            if (!now.contains(r)) {
                run(ip.addRoute(tun.name(), r, c.routeMetric()));
                now.add(r);
            }
        }
        applyDns(c);
    }

    /**
     * In a full tunnel, adds host routes for the configuration's gateways that have none (from the route the kernel
     * would use now); without one, removes all but those {@link #routeGateway} set (a profile's {@code uplinks} pins
     * the gateway on its chosen uplink, full tunnel or not). A host route to an address the configuration does not
     * name stays in a full tunnel: {@link #routeGateway} set it for the path the connection uses (the gateway's
     * announced address after a move), which a reconfiguration (a rekey with other selectors, a new virtual IP) does
     * not change; without it the tunnel's routes would capture IKE and ESP to that address. {@link #close()} removes it.
     */
    private void syncGatewayRoutes(boolean fullTunnel, List<InetAddress> gateways) throws VnicException {
        if (!fullTunnel) {
            for (GatewayHostRoute h : new ArrayList<>(hostRoutes)) {
                if (h.followed()) {
                    continue;
                }
                removeHostRoute(h);
            }
            return;
        }
        for (InetAddress gw : gateways) {
            if (hostRoutes.stream().anyMatch(h -> h.gateway().equals(gw))) {
                continue;
            }
            String addr = gw.getHostAddress();
            CommandRunner.Result get = run(ip.routeGet(addr));
            List<String> spec;
            try {
                spec = GatewayRoute.fromRouteGet(addr, get.output());
            } catch (IllegalArgumentException e) {
                throw new VnicException(e.getMessage());
            }
            boolean v6 = addr.indexOf(':') >= 0;
            if (spec.contains(tun.name())) {
                throw new VnicException("the route to gateway " + addr + " already leads into " + tun.name());
            }
            VnicJournal.Entry entry = new VnicJournal.Entry(v6 ? "route6" : "route4", spec);
            journalAdd(entry);
            CommandRunner.Result r = runQuietly(ip.addRouteSpec(spec, v6));
            if (r.ok()) {
                hostRoutes.add(new GatewayHostRoute(gw, spec, v6, entry, false));
            } else {
                journalRemove(entry);
                if (!r.output().contains("File exists")) {
                    throw new VnicException("adding host route to gateway failed: " + String.join(" ", ip.addRouteSpec(spec, v6))
                            + ": " + r.output());
                }
                log.info("host route to " + addr + " exists already; left as it is");
            }
        }
    }

    /**
     * Routes the excluded destinations that lie inside a tunnel route outside the tunnel: the way the kernel
     * routes them now, or (when that already leads into the tunnel) the way the gateway's host route goes.
     * Computed before the tunnel routes go in, like the gateway's; journaled the same way.
     */
    private void syncExcludedRoutes(List<IpPrefix> excluded, List<IpPrefix> tunnelRoutes) throws VnicException {
        List<IpPrefix> needed = excluded.stream()
                .filter(e -> tunnelRoutes.stream().anyMatch(r -> IpCommands.overlaps(r, e))).toList();
        for (ExcludedRoute r : new ArrayList<>(excludedRoutes)) {
            if (!needed.contains(r.destination())) {
                runIgnoringFailure(ip.deleteRouteSpec(r.spec(), r.ipv6()));
                excludedRoutes.remove(r);
                journalRemove(r.entry());
            }
        }
        for (IpPrefix e : needed) {
            if (excludedRoutes.stream().anyMatch(r -> r.destination().equals(e))) {
                continue;
            }
            List<String> spec = underlaySpec(e);
            if (spec == null) {
                log.warn("no route outside " + tun.name() + " for the excluded " + e + ": it goes into the tunnel");
                continue;
            }
            VnicJournal.Entry entry = new VnicJournal.Entry(e.isIpv6() ? "route6" : "route4", spec);
            journalAdd(entry);
            CommandRunner.Result r = runQuietly(ip.addRouteSpec(spec, e.isIpv6()));
            if (r.ok()) {
                excludedRoutes.add(new ExcludedRoute(e, spec, e.isIpv6(), entry));
            } else {
                journalRemove(entry);
                log.warn("route for the excluded " + e + " not added: " + String.join(" ", ip.addRouteSpec(spec, e.isIpv6()))
                        + ": " + r.output());
            }
        }
    }

    /** {@code DEST via X dev Y} for the way out that is not our device, or {@code null}. */
    private List<String> underlaySpec(IpPrefix destination) throws VnicException {
        String addr = destination.address().getHostAddress();
        CommandRunner.Result get = runQuietly(ip.routeGet(addr));
        List<String> spec = null;
        if (get.ok()) {
            try {
                spec = new ArrayList<>(GatewayRoute.fromRouteGet(addr, get.output()));
            } catch (IllegalArgumentException e) {
                spec = null;
            }
        }
        if (spec == null || spec.contains(tun.name())) {
            spec = hostRoutes.stream().filter(h -> h.ipv6() == destination.isIpv6()).findFirst()
                    .map(h -> new ArrayList<>(h.spec())).orElse(null);
        }
        if (spec == null) {
            return null;
        }
        spec.set(0, destination.toString());
        return spec;
    }

    /**
     * The gateway's host route follows the uplink the connection moved to (with a full tunnel, or to leave by an uplink
     * the profile prefers against the kernel's routing): {@code ip route replace} both changes a route to the old
     * uplink and puts back one the kernel dropped with its link. Journaled before it is set, like
     * the first one, so a crash leaves nothing a later start cannot remove. A route the factory set to the gateway
     * before the handshake ({@link PreferredUplinkRoutes}) is this NIC's from then on.
     */
    @Override
    public synchronized void routeGateway(InetAddress gateway, String uplink, InetAddress nextHop) throws VnicException {
        VnicConfig c = config;
        if (c == null || closed.get()) {
            return;
        }
        String addr = gateway.getHostAddress();
        if (uplink.equals(tun.name())) {
            throw new VnicException("the gateway " + addr + " cannot be reached through " + tun.name() + " itself");
        }
        boolean v6 = addr.indexOf(':') >= 0;
        List<String> spec = GatewayRoute.onUplink(gateway, uplink, nextHop);
        GatewayHostRoute old = hostRoutes.stream().filter(h -> h.gateway().equals(gateway)).findFirst().orElse(null);
        boolean changed = old == null || !old.spec().equals(spec);
        VnicJournal.Entry entry = changed ? new VnicJournal.Entry(v6 ? "route6" : "route4", spec) : old.entry();
        if (changed) {
            journalAdd(entry);
        }
        CommandRunner.Result r = runQuietly(ip.replaceRouteSpec(spec, v6));
        if (!r.ok()) {
            if (changed) {
                journalRemove(entry);
            }
            throw new VnicException("routing the gateway outside " + tun.name() + " failed: "
                    + String.join(" ", ip.replaceRouteSpec(spec, v6)) + ": " + r.output());
        }
        gatewayRouted.accept(gateway); // a route the factory set before the handshake is this one now
        if (!changed) {
            if (!old.followed()) { // from now on it follows the connection's uplink, full tunnel or not
                hostRoutes.set(hostRoutes.indexOf(old), new GatewayHostRoute(gateway, spec, v6, old.entry(), true));
            }
            return; // put back after the kernel dropped it, or there all along
        }
        if (old != null) {
            hostRoutes.remove(old);
            journalRemove(old.entry());
        }
        hostRoutes.add(new GatewayHostRoute(gateway, spec, v6, entry, true));
        log.info("the route to gateway " + addr + " outside " + tun.name() + " is now " + String.join(" ", spec)
                + (old == null ? "" : " (was " + String.join(" ", old.spec()) + ")"));
    }

    private void removeHostRoute(GatewayHostRoute h) {
        runIgnoringFailure(ip.deleteRouteSpec(h.spec(), h.ipv6()));
        hostRoutes.remove(h);
        try {
            journal.remove(h.entry());
        } catch (IOException e) {
            log.warn("journal " + journal.file() + ": " + e);
        }
    }

    private void applyDns(VnicConfig c) throws VnicException {
        try {
            if (c.dnsStrategy() == DnsStrategy.RESOLV_CONF && !c.dnsServers().isEmpty()) {
                if (!resolv.hasBackup()) {
                    journalAdd(new VnicJournal.Entry("resolv", List.of(resolv.target().toString())));
                }
                resolv.apply(ResolvConfFile.render(tun.name(), c.dnsServers(), c.searchDomains()));
            } else if (resolv.hasBackup()) {
                resolv.restore();
            }
        } catch (IOException e) {
            throw new VnicException("managing " + resolv.target() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return tun.name();
    }

    @Override
    public VnicConfig config() {
        return config;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return read(dst, true);
    }

    @Override
    public int readNow(ByteBuffer dst) throws IOException {
        return read(dst, false);
    }

    private int read(ByteBuffer dst, boolean wait) throws IOException {
        if (!offload) {
            return wait ? tun.read(dst) : tun.readNow(dst);
        }
        if (segmenter.hasNext()) {
            pendingSegments--;
            return segmenter.next(dst);
        }
        while (true) {
            superPacket.clear();
            int n = wait ? tun.read(superPacket) : tun.readNow(superPacket);
            if (n <= 0) {
                return n; // -1: closed or woken up; 0: nothing ready (readNow only)
            }
            int r = VirtioPacket.unpack(superPacket, n, segmenter, dst);
            if (r >= 0) {
                pendingSegments = segmenter.hasNext() ? segmenter.remaining() : 0;
                return r;
            }
            // a packet we cannot cut (e.g. UDP segmentation, never enabled): dropped, like a NIC would
        }
    }

    @Override
    public int readinessDescriptor() {
        return tun.descriptor();
    }

    @Override
    public int pending() {
        return offload && segmenter.hasNext() ? Math.max(1, pendingSegments) : 0;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (!offload) {
            tun.write(src);
            return;
        }
        if (coalescer.append(src)) {
            src.position(src.limit());
            return;
        }
        flush();
        if (coalescer.start(src)) {
            src.position(src.limit());
            return;
        }
        tun.write(src);
    }

    @Override
    public void flush() throws IOException {
        if (offload && !coalescer.isEmpty()) {
            ByteBuffer b = coalescer.take();
            try {
                tun.writeWithHeader(b);
            } finally {
                coalescer.written();
            }
        }
    }

    @Override
    public void wakeup() {
        tun.wakeup();
    }

    @Override
    public synchronized void reconfigure(VnicConfig c) throws VnicException {
        VnicConfig old = config;
        if (closed.get()) {
            throw new VnicException(tun.name() + " is closed");
        }
        // The name may be given as the device's actual name (the factory may have picked it).
        if (c.name() != null && !c.name().equals(tun.name()) || c.mtu() != old.mtu() || c.offload() != old.offload()) {
            throw new VnicException("name, MTU and offload cannot change on an open NIC: open a new one");
        }
        // a new IKE SA that took the tunnel over may come with another virtual IP: the new address before the old
        // one goes, so the device is never without one
        for (IpPrefix a : c.addresses()) {
            if (!old.addresses().contains(a)) {
                run(ip.addAddress(tun.name(), a));
            }
        }
        for (IpPrefix a : old.addresses()) {
            if (!c.addresses().contains(a)) {
                runIgnoringFailure(ip.deleteAddress(tun.name(), a));
            }
        }
        applyRoutesAndDns(c);
        config = c;
    }

    /**
     * Leaves the device for the next vnic bundle of this process as it is, addresses, routes, DNS and journal
     * included ({@link KeptDevices}), and this handle open: packets go on through {@link #read} and {@link #write}
     * (the data path does not stop for the update), while configuration changes are refused. A later
     * {@link #close()} of this handle closes only its descriptor once the next bundle took the device over, and
     * removes the device otherwise.
     */
    void keep() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            kept = true;
            try {
                tun.persist();
                keptDevices.mark(tun.name(), tun.descriptor());
                log.info("kept " + tun.name() + " open with its addresses and routes for the next vnic bundle;"
                        + " packets go on through it meanwhile");
            } catch (IOException e) {
                log.warn("cannot keep " + tun.name() + " (" + e.getMessage() + "): it goes; the connection on it"
                        + " starts again");
                kept = false;
                unmarkQuietly();
                undoAndClose();
            }
        }
        onClose.run();
    }

    @Override
    public void close() {
        if (kept) {
            releaseKeptDevice();
            return;
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        undoAndClose();
        onClose.run();
    }

    /**
     * This handle of a kept device is done with: once the next bundle took the device over (through a descriptor of
     * its own) only this handle's descriptor closes; a device nobody took over goes now with what it changed (the
     * next bundle never came).
     */
    private synchronized void releaseKeptDevice() {
        if (!kept) {
            return; // released already
        }
        kept = false;
        if (keptDevices.keptDescriptor(tun.name()) != tun.descriptor()) {
            tun.close();
            log.info("closed the previous vnic bundle's descriptor of " + tun.name() + ", taken over by the next one");
            return;
        }
        runIgnoringFailure(ip.deleteLink(tun.name()));
        unmarkQuietly();
        undoAndClose();
    }

    private void unmarkQuietly() {
        try {
            keptDevices.unmark(tun.name());
        } catch (IOException e) {
            log.warn("kept device " + tun.name() + ": " + e);
        }
    }

    private void undoAndClose() {
        synchronized (this) {
            try {
                if (resolv.hasBackup()) {
                    resolv.restore();
                }
            } catch (IOException e) {
                log.warn("restoring " + resolv.target() + " failed (the journal keeps it for the next start): " + e);
            }
            for (ExcludedRoute r : excludedRoutes) {
                runIgnoringFailure(ip.deleteRouteSpec(r.spec(), r.ipv6()));
                journalRemove(r.entry());
            }
            excludedRoutes.clear();
            for (GatewayHostRoute h : new ArrayList<>(hostRoutes)) {
                removeHostRoute(h);
            }
            tun.close();
            try {
                if (!resolv.hasBackup()) {
                    journal.delete();
                }
            } catch (IOException e) {
                log.warn("deleting " + journal.file() + ": " + e);
            }
        }
        log.info("closed " + tun.name());
    }

    private void journalAdd(VnicJournal.Entry e) throws VnicException {
        try {
            journal.add(e);
        } catch (IOException ex) {
            throw new VnicException("cannot write journal " + journal.file() + ": " + ex.getMessage(), ex);
        }
    }

    private void journalRemove(VnicJournal.Entry e) {
        try {
            journal.remove(e);
        } catch (IOException ex) {
            log.warn("journal " + journal.file() + ": " + ex);
        }
    }

    private CommandRunner.Result run(List<String> command) throws VnicException {
        CommandRunner.Result r = runQuietly(command);
        if (!r.ok()) {
            String hint = r.output().contains("Operation not permitted") ? " (the process lacks CAP_NET_ADMIN)" : "";
            throw new VnicException(String.join(" ", command) + " failed" + hint + ": " + r.output());
        }
        return r;
    }

    private CommandRunner.Result runQuietly(List<String> command) throws VnicException {
        try {
            return runner.run(command);
        } catch (IOException e) {
            throw new VnicException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private void runIgnoringFailure(List<String> command) {
        try {
            CommandRunner.Result r = runner.run(command);
            if (!r.ok()) {
                log.warn(String.join(" ", command) + ": " + r.output());
            }
        } catch (IOException e) {
            log.warn(String.join(" ", command) + ": " + e);
        }
    }
}
