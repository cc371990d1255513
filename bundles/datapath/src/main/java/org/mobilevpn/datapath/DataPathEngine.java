package org.mobilevpn.datapath;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiPredicate;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.datapath.TunnelConfig;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.EspTransformFactory;
import org.mobilevpn.api.filter.SecurityPolicyDatabaseFactory;
import org.mobilevpn.api.ike.IkeTransport;

/**
 * The data path without the framework: shared sockets, the inbound pump (socket -> demux ->
 * ESP decrypt -> inbound policy -> virtual NIC) on one named thread, the IKE port-500 reader,
 * the keepalive timer, the fixed pool of outbound pump threads, and the tunnels.
 *
 * <p>Control-path changes (SA install/removal, tunnels) serialize on {@link #control}; the packet
 * threads never take it: they read immutable tables through volatile fields.
 */
public final class DataPathEngine implements DataPath, AutoCloseable {
    private static final int BUFFER = 65536 + 256;

    private final EspTransformFactory esp;
    private final SecurityPolicyDatabaseFactory spdFactory;
    private final UdpSockets sockets;
    private final IkeDispatcher dispatcher = new IkeDispatcher();
    private final PumpCounters inboundCounters = new PumpCounters();
    private final QuiescenceGate inboundGate = new QuiescenceGate();
    private final Set<EspTunnel> tunnels = new CopyOnWriteArraySet<>();
    private final Object control = new Object();
    private final ScheduledExecutorService timer;
    private final Thread inboundThread;
    private final Thread ikeThread;
    private final OutboundPumps pumps;
    private volatile InboundSaTable inbound = InboundSaTable.EMPTY;
    private volatile boolean running = true;
    /** Inbound thread only: the tunnel whose NIC may hold coalesced packets. */
    private EspTunnel lastWritten;

    /**
     * Opens the sockets and starts the receiving threads.
     *
     * @param ikePort 500 normally; 0 opens no port-500 socket (IKE only behind the marker on 4500)
     */
    public DataPathEngine(EspTransformFactory esp, SecurityPolicyDatabaseFactory spdFactory, InetAddress bindAddress,
            int ikePort, int nattPort) throws IOException {
        this.esp = esp;
        this.spdFactory = spdFactory;
        this.sockets = UdpSockets.open(bindAddress, ikePort, nattPort);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mvpn-dp-keepalive");
            t.setDaemon(true);
            return t;
        });
        this.pumps = new OutboundPumps(sockets.natt);
        inboundThread = new Thread(this::inboundLoop, "mvpn-dp-inbound-udp" + sockets.nattPort());
        inboundThread.setDaemon(true);
        inboundThread.start();
        if (sockets.ike != null) {
            ikeThread = new Thread(this::ikeLoop, "mvpn-dp-ike-udp" + sockets.ikePort());
            ikeThread.setDaemon(true);
            ikeThread.start();
        } else {
            ikeThread = null;
        }
    }

    /** The bound NAT-T port (useful when 0 was asked for). */
    public int nattPort() {
        return sockets.nattPort();
    }

    @Override
    public IkeTransport openIkeTransport(InetSocketAddress gateway) throws IOException {
        return new SharedSocketIkeTransport(sockets, dispatcher, gateway);
    }

    @Override
    public DataPathTunnel openTunnel(TunnelConfig config) throws IOException {
        if (!running) {
            throw new IOException("data path stopped");
        }
        EspTunnel t = new EspTunnel(this, esp, spdFactory, config, sockets.natt, timer, pumps);
        tunnels.add(t);
        return t;
    }

    @Override
    public DataPathCounters counters() {
        List<SaCounters> sas = new ArrayList<>();
        inbound.forEach((d, t) -> sas.add(EspTunnel.saCounters(d, org.mobilevpn.api.esp.SaDirection.INBOUND)));
        DataPathCounters total = inboundCounters.snapshot(sas);
        for (EspTunnel t : tunnels) {
            total = total.plus(t.outboundCounters());
        }
        return total;
    }

    /** Inbound SAs of one tunnel, for its counters. */
    List<SaCounters> inboundSaCounters(EspTunnel tunnel) {
        List<SaCounters> sas = new ArrayList<>();
        inbound.forEach((d, t) -> {
            if (t == tunnel) {
                sas.add(EspTunnel.saCounters(d, org.mobilevpn.api.esp.SaDirection.INBOUND));
            }
        });
        return sas;
    }

    /** Adds an inbound SA; the old ones stay (a rekey removes them later). */
    void addInbound(EspDecryptor d, EspTunnel t) {
        synchronized (control) {
            inbound = inbound.with(d, t);
        }
    }

    /** Removes the inbound SAs {@code remove} selects, waits until the pump cannot hold them, and closes them. */
    void removeInbound(BiPredicate<EspDecryptor, EspTunnel> remove) {
        List<EspDecryptor> gone;
        synchronized (control) {
            BiPredicate<EspDecryptor, EspTunnel> keep = remove.negate();
            gone = inbound.rejected(keep);
            inbound = inbound.filter(keep);
        }
        inboundGate.awaitQuiescence();
        for (EspDecryptor d : gone) {
            d.close();
        }
    }

    void tunnelClosed(EspTunnel t) {
        tunnels.remove(t);
    }

    /**
     * RFC 3948 §2.2/2.3 demux, then ESP per RFC 4303 §3.4 and the inbound SPD check of RFC 4301 §5.2.
     * A UDP_GRO receive may hold several datagrams of the reported size back to back.
     */
    private void inboundLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        NativeUdpSocket socket = sockets.natt;
        while (running) {
            buf.clear();
            int n;
            try {
                n = socket.receive(buf);
            } catch (IOException e) {
                inboundCounters.drop(DropReason.IO_ERROR);
                continue;
            }
            if (n < 0) {
                break;
            }
            int gso = socket.lastGsoSize();
            int segment = gso > 0 ? gso : n;
            inboundGate.enter();
            try {
                for (int off = 0; off < n; off += segment) {
                    buf.limit(off + Math.min(segment, n - off)).position(off);
                    inboundCounters.count(PumpCounters.RECEIVED);
                    datagram(buf, socket);
                }
                flushNic();
            } finally {
                inboundGate.leave();
            }
        }
        failTransports(new IOException("data path stopped"));
    }

    private void datagram(ByteBuffer buf, NativeUdpSocket socket) {
        switch (Port4500Demux.classify(buf)) {
            case ESP:
                inboundEsp(buf);
                break;
            case IKE:
                byte[] m = new byte[buf.remaining() - 4];
                buf.position(buf.position() + 4).get(m);
                inboundCounters.count(PumpCounters.IKE_RECEIVED);
                if (!dispatcher.dispatch(socket.lastSource(), m, true)) {
                    inboundCounters.drop(DropReason.MALFORMED);
                }
                break;
            case KEEPALIVE:
                break;
            default:
                inboundCounters.drop(DropReason.MALFORMED);
        }
    }

    private void inboundEsp(ByteBuffer buf) {
        InboundSaTable table = inbound;
        int i = table.find(buf.getInt(buf.position()));
        if (i < 0) {
            inboundCounters.drop(DropReason.UNKNOWN_SPI);
            return;
        }
        EspDecryptor d = table.decryptor(i);
        EspStatus s = d.decryptInPlace(buf);
        if (s != EspStatus.OK) {
            inboundCounters.drop(s == EspStatus.DUMMY ? DropReason.DUMMY : DropReason.DECRYPT_FAILED);
            return;
        }
        EspTunnel t = table.tunnel(i);
        if (!t.spd().checkInbound(d.childSaId(), buf)) {
            inboundCounters.drop(DropReason.INBOUND_POLICY);
            return;
        }
        try {
            if (t != lastWritten) {
                flushNic();
                lastWritten = t;
            }
            t.nic().write(buf);
            inboundCounters.count(PumpCounters.TO_NIC);
        } catch (IOException e) {
            inboundCounters.drop(DropReason.IO_ERROR);
        }
    }

    /** Lets the NIC written last in this receive batch send what it held back for coalescing. */
    private void flushNic() {
        EspTunnel t = lastWritten;
        if (t != null) {
            lastWritten = null;
            try {
                t.nic().flush();
            } catch (IOException e) {
                inboundCounters.drop(DropReason.IO_ERROR);
            }
        }
    }

    private void ikeLoop() {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        while (running) {
            buf.clear();
            SocketAddress from;
            try {
                from = sockets.ike.receive(buf);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                continue;
            }
            buf.flip();
            byte[] m = new byte[buf.remaining()];
            buf.get(m);
            inboundCounters.count(PumpCounters.IKE_RECEIVED);
            if (!dispatcher.dispatch((InetSocketAddress) from, m, false)) {
                inboundCounters.drop(DropReason.MALFORMED);
            }
        }
    }

    private void failTransports(IOException cause) {
        // Transports learn that their sockets are gone; the engine that owns them decides what next.
        for (IkeDispatcher.Session t : dispatcher.snapshot()) {
            if (t instanceof SharedSocketIkeTransport) {
                ((SharedSocketIkeTransport) t).failed(cause);
            }
        }
    }

    /** Stops every tunnel, closes the sockets and joins the threads. */
    @Override
    public void close() {
        running = false;
        for (EspTunnel t : List.copyOf(tunnels)) {
            t.close();
        }
        pumps.close();
        sockets.close();
        timer.shutdownNow();
        join(inboundThread);
        join(ikeThread);
        sockets.release();
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
