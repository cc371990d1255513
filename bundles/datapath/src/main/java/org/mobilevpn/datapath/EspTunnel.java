package org.mobilevpn.datapath;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.datapath.TunnelConfig;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.EspTransform;
import org.mobilevpn.api.esp.EspTransformFactory;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.esp.UdpEncapsulation;
import org.mobilevpn.api.filter.SecurityPolicyDatabase;
import org.mobilevpn.api.filter.SecurityPolicyDatabaseFactory;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.filter.SpdRule;
import org.mobilevpn.api.vnic.VirtualNic;

/**
 * One tunnel: its outbound path (virtual NIC -> SPD lookup -> ESP encrypt -> UDP 4500, RFC 4303 §3.3
 * and RFC 3948, run by one of the engine's {@link OutboundPump} threads), its outbound SA table, its SPD
 * and its NAT keepalive. Inbound SAs live in the engine's table because one socket serves every tunnel.
 */
final class EspTunnel implements DataPathTunnel {
    /** Room in front of the inner packet for SPI, sequence number and IV (at most 24 bytes today). */
    static final int HEADROOM = 64;
    /** Room after the inner packet for padding, pad length, next header and ICV. */
    static final int TAILROOM = 128;

    private final DataPathEngine engine;
    private final EspTransformFactory esp;
    private final SecurityPolicyDatabaseFactory spdFactory;
    private final VirtualNic nic;
    private final EspSaListener listener;
    private final NativeUdpSocket socket;
    private final NativeUdpSocket.Sender keepaliveSender;
    private final PumpCounters counters = new PumpCounters();
    private final QuiescenceGate gate = new QuiescenceGate();
    private final Object control = new Object();
    private final OutboundPumps pumps;
    private final ScheduledExecutorService timer;
    /** The NAT keepalive timer, none while no keepalives are sent (guarded by {@link #control}). */
    private ScheduledFuture<?> keepalive;
    /** Guarded by {@link #control}. */
    private Duration keepaliveInterval = Duration.ZERO;
    private final NatKeepalive keepaliveDecision = new NatKeepalive();
    private final ByteBuffer keepaliveBuffer = ByteBuffer.allocateDirect(1);
    private volatile SecurityPolicyDatabase spd;
    private volatile NativeUdpSocket.PeerAddress gateway;
    private volatile OutboundSaTable outbound = OutboundSaTable.EMPTY;
    /** Guarded by {@link #control}. */
    private boolean running = true;
    /** The thread reading the NIC: none until an outbound SA is there (guarded by {@link #control}). */
    private OutboundPump pump;
    /** Taken when the pump has stopped, before the transforms are wiped: what {@link #counters()} returns after close. */
    private volatile DataPathCounters finalCounters;

    EspTunnel(DataPathEngine engine, EspTransformFactory esp, SecurityPolicyDatabaseFactory spdFactory, TunnelConfig c,
            NativeUdpSocket socket, ScheduledExecutorService timer, OutboundPumps pumps) {
        this.engine = engine;
        this.esp = esp;
        this.spdFactory = spdFactory;
        this.nic = c.nic();
        this.listener = c.lifetimeListener();
        this.socket = socket;
        this.keepaliveSender = socket.sender();
        this.gateway = new NativeUdpSocket.PeerAddress(c.gateway());
        this.spd = spdFactory.compile(c.spd());
        this.pumps = pumps;
        this.timer = timer;
        keepaliveInterval(c.keepaliveInterval());
    }

    VirtualNic nic() {
        return nic;
    }

    SecurityPolicyDatabase spd() {
        return spd;
    }

    /**
     * Called by its pump thread when the NIC polled readable: reads what is ready, at most {@code budget}
     * packets, encrypts them and sends them in GSO batches; nothing waits in the batch when this returns.
     *
     * @return false once the NIC is closed: the pump stops polling it
     */
    boolean drain(ByteBuffer work, EspBatch batch, int budget) {
        batch.begin(gateway, counters);
        try {
            for (int i = 0; i < budget; i++) {
                work.limit(HEADROOM + 65535).position(HEADROOM);
                int n;
                try {
                    n = nic.readNow(work);
                } catch (IOException e) {
                    counters.drop(DropReason.IO_ERROR);
                    continue;
                }
                if (n < 0) {
                    counters.drop(DropReason.IO_ERROR);
                    return false;
                }
                if (n == 0) {
                    return true;
                }
                gate.enter();
                try {
                    counters.count(PumpCounters.FROM_NIC);
                    work.limit(HEADROOM + n).position(HEADROOM);
                    if (protect(work)) {
                        batch.add(work);
                    }
                } finally {
                    gate.leave();
                }
            }
            return true;
        } finally {
            batch.flush();
        }
    }

    /** RFC 4301 §5.1: the SPD decides; PROTECT packets become ESP (true), others are counted and dropped. */
    private boolean protect(ByteBuffer buf) {
        SpdRule rule = spd.lookupOutbound(buf);
        switch (rule.action()) {
            case PROTECT:
                break;
            case BYPASS:
                counters.drop(DropReason.POLICY_BYPASS);
                return false;
            default:
                counters.drop(DropReason.POLICY_DISCARD);
                return false;
        }
        EspEncryptor e = outbound.find(rule.childSaId());
        if (e == null) {
            counters.drop(DropReason.NO_OUTBOUND_SA);
            return false;
        }
        // encryptInPlace uses the HEADROOM before the position and the TAILROOM up to capacity.
        if (e.encryptInPlace(buf) != EspStatus.OK) {
            counters.drop(DropReason.ENCRYPT_FAILED);
            return false;
        }
        return true;
    }

    @Override
    public void keepaliveInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative keepalive interval: " + interval);
        }
        synchronized (control) {
            if (!running || interval.equals(keepaliveInterval)) {
                return;
            }
            if (keepalive != null) {
                keepalive.cancel(false);
            }
            keepaliveInterval = interval;
            long ms = interval.toMillis();
            keepalive = ms > 0 ? timer.scheduleAtFixedRate(this::keepaliveTick, ms, ms, TimeUnit.MILLISECONDS) : null;
        }
    }

    private void keepaliveTick() {
        long sent = counters.get(PumpCounters.SENT);
        if (!keepaliveDecision.due(sent)) {
            return;
        }
        keepaliveBuffer.clear();
        keepaliveBuffer.put(0, UdpEncapsulation.NAT_KEEPALIVE_BYTE);
        try {
            keepaliveSender.send(keepaliveBuffer, gateway);
            counters.count(PumpCounters.KEEPALIVES);
        } catch (IOException ex) {
            counters.drop(DropReason.IO_ERROR);
        }
        keepaliveDecision.keepaliveSent(sent);
    }

    @Override
    public void installSaPair(EspSa in, EspSa out) {
        if (in.childSaId() != out.childSaId()) {
            throw new IllegalArgumentException("the SAs belong to different Child SAs: " + in + ", " + out);
        }
        synchronized (control) {
            installInbound(in); // first: the peer may switch to its new SA at once
            installOutbound(out);
        }
    }

    @Override
    public void installInbound(EspSa in) {
        requireUsable(in, SaDirection.INBOUND);
        synchronized (control) {
            EspDecryptor d = esp.createDecryptor(in, listener);
            try {
                engine.addInbound(d, this);
            } catch (RuntimeException ex) {
                d.close();
                throw ex;
            }
        }
    }

    @Override
    public void installOutbound(EspSa out) {
        requireUsable(out, SaDirection.OUTBOUND);
        synchronized (control) {
            EspEncryptor e = esp.createEncryptor(out, listener);
            EspEncryptor old = outbound.find(out.childSaId());
            outbound = outbound.with(e);
            if (pump == null && running) {
                // packets the NIC queued before (e.g. while a swapped data path was away) find their SA
                pump = pumps.serve(this);
            }
            if (old != null) {
                gate.awaitQuiescence();
                old.close();
            }
        }
    }

    private static void requireUsable(EspSa sa, SaDirection direction) {
        if (sa.direction() != direction) {
            throw new IllegalArgumentException("expected an " + direction + " SA: " + sa);
        }
        if (!sa.udpEncapsulated()) {
            throw new IllegalArgumentException("this data path carries ESP in UDP only (RFC 3948): " + sa);
        }
    }

    @Override
    public void removeInbound(int spi) {
        engine.removeInbound((d, t) -> t == this && d.spi() == spi);
    }

    @Override
    public void removeChildSa(int childSaId) {
        synchronized (control) {
            EspEncryptor old = outbound.find(childSaId);
            outbound = outbound.without(childSaId);
            if (old != null) {
                gate.awaitQuiescence();
                old.close();
            }
        }
        engine.removeInbound((d, t) -> t == this && d.childSaId() == childSaId);
    }

    @Override
    public void updatePolicy(SpdConfiguration c) {
        spd = spdFactory.compile(c);
    }

    @Override
    public void updateGateway(InetSocketAddress g) {
        if (g.isUnresolved()) {
            throw new IllegalArgumentException("unresolved gateway " + g);
        }
        gateway = new NativeUdpSocket.PeerAddress(g);
    }

    @Override
    public DataPathCounters counters() {
        DataPathCounters closed = finalCounters;
        if (closed != null) {
            return closed;
        }
        List<SaCounters> sas = engine.inboundSaCounters(this);
        for (EspEncryptor e : outbound.all()) {
            sas.add(saCounters(e, SaDirection.OUTBOUND));
        }
        return counters.snapshot(sas);
    }

    /** This tunnel's outbound-side counters (the engine adds the inbound side). */
    DataPathCounters outboundCounters() {
        List<SaCounters> sas = new ArrayList<>();
        for (EspEncryptor e : outbound.all()) {
            sas.add(saCounters(e, SaDirection.OUTBOUND));
        }
        return counters.snapshot(sas);
    }

    static SaCounters saCounters(EspTransform t, SaDirection direction) {
        Map<EspStatus, Long> outcomes = new EnumMap<>(EspStatus.class);
        for (EspStatus s : EspStatus.values()) {
            long v = s == EspStatus.OK ? 0 : t.counters().count(s);
            if (v != 0) {
                outcomes.put(s, v);
            }
        }
        return new SaCounters(t.childSaId(), t.spi(), direction, t.counters().packets(), t.counters().bytes(), outcomes,
                t.sequenceNumber(), t.lifetimeState());
    }

    @Override
    public void close() {
        OutboundPump reader;
        synchronized (control) {
            if (!running) {
                return;
            }
            running = false;
            reader = pump;
            pump = null;
            if (keepalive != null) {
                keepalive.cancel(false);
                keepalive = null;
            }
        }
        if (reader != null) {
            reader.remove(this);
        }
        // the pump has left this tunnel: the outbound sequence numbers are final, a successor tunnel continues from them
        finalCounters = counters();
        synchronized (control) {
            for (EspEncryptor e : outbound.all()) {
                e.close();
            }
            outbound = OutboundSaTable.EMPTY;
        }
        engine.removeInbound((d, t) -> t == this);
        engine.tunnelClosed(this);
    }
}
