package org.mobilevpn.policy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.TunnelConfig;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.ChildSaKeys;
import org.mobilevpn.api.ike.IkeEngine;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSaKeys;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.api.ipsec.PrfAlgorithm;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.vnic.KillSwitch;
import org.mobilevpn.api.vnic.KillSwitchPolicy;
import org.mobilevpn.api.vnic.PreferredUplinkRoute;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.mobilevpn.api.vnic.VnicConfig;
import org.mobilevpn.api.vnic.VnicException;

/**
 * Fakes of the engine, the data path and the NIC factory that write every operation into one shared
 * list, so tests check what happened and in which order.
 */
final class Fakes {
    static final InetSocketAddress CLIENT_NATT = new InetSocketAddress(ip("198.51.100.2"), 4500);
    static final InetSocketAddress GATEWAY_NATT = new InetSocketAddress(ip("198.51.100.1"), 4500);
    static final byte KEY_BYTE = 0x5a;

    final List<String> ops = new ArrayList<>();
    final FakeEngine engine = new FakeEngine();
    /** Replaced (or set to null) by a test of a data path swap. */
    FakeDataPath dataPath = new FakeDataPath();
    FakeNics nics = new FakeNics();
    /** Set to null to play a runtime without the kill switch service. */
    FakeKillSwitch killSwitch = new FakeKillSwitch();

    private Fakes() {
    }

    static Fakes create() {
        return new Fakes();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SecretBytes secret(int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, KEY_BYTE);
        return SecretBytes.copyOf(b);
    }

    /** An AES-GCM-256 Child SA as the engine hands it over: VIP 198.18.0.1, LAN 203.0.113.0/24, forced UDP encapsulation. */
    static ChildSaInfo child(int spiIn, int spiOut) {
        return child(spiIn, spiOut, List.of(TrafficSelector.parse("203.0.113.0/24")));
    }

    static ChildSaInfo child(int spiIn, int spiOut, List<TrafficSelector> remoteTs) {
        return child(spiIn, spiOut, remoteTs, new NatState(true, false, true));
    }

    /** {@link #child(int, int)} of an IKE SA in this NAT state. */
    static ChildSaInfo child(int spiIn, int spiOut, NatState nat) {
        return child(spiIn, spiOut, List.of(TrafficSelector.parse("203.0.113.0/24")), nat);
    }

    static ChildSaInfo child(int spiIn, int spiOut, List<TrafficSelector> remoteTs, NatState nat) {
        ChildSaKeys keys = new ChildSaKeys(new EspKeys(secret(32), secret(4), SecretBytes.empty()),
                new EspKeys(secret(32), secret(4), SecretBytes.empty()));
        return new ChildSaInfo(spiIn, spiOut, EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE, false, keys,
                List.of(TrafficSelector.parse("198.18.0.1/32")), remoteTs, List.of(ip("198.18.0.1")),
                List.of(ip("203.0.113.53")), Duration.ofMinutes(54), Duration.ofMinutes(66), nat, CLIENT_NATT, GATEWAY_NATT);
    }

    static IkeSaInfo ikeSa() {
        return ikeSa(CLIENT_NATT);
    }

    /** An IKE SA made from {@code local} (the uplink the handshake left by). */
    static IkeSaInfo ikeSa(InetSocketAddress local) {
        IkeSaKeys keys = new IkeSaKeys(secret(48), SecretBytes.empty(), SecretBytes.empty(), secret(36), secret(36),
                secret(48), secret(48));
        return new IkeSaInfo(0x1122334455667788L, 0x99aabbccddeeff00L, EncryptionAlgorithm.AES_GCM_16_256,
                IntegrityAlgorithm.NONE, PrfAlgorithm.HMAC_SHA2_384, KeyExchangeMethod.CURVE25519, local, GATEWAY_NATT,
                IkeIdentity.parse("client@vpn.test"), IkeIdentity.parse("gw.vpn.test"), new NatState(true, false, true), keys);
    }

    ConnectionServices services() {
        return new ConnectionServices() {
            @Override
            public IkeEngine ikeEngine() {
                return engine.present ? engine : null;
            }

            @Override
            public DataPath dataPath() {
                return dataPath;
            }

            @Override
            public VirtualNicFactory virtualNicFactory() {
                return nics;
            }

            @Override
            public KillSwitch killSwitch() {
                return killSwitch;
            }

            @Override
            public InetAddress resolve(String host) throws UnknownHostException {
                if (host.endsWith(".invalid")) {
                    throw new UnknownHostException(host);
                }
                return InetAddress.getByName(host);
            }

            private int ids;

            @Override
            public int nextChildSaId() {
                return ++ids;
            }
        };
    }

    final class FakeEngine implements IkeEngine {
        boolean present = true;
        RuntimeException startFailure;
        final List<FakeSession> sessions = new ArrayList<>();

        @Override
        public IkeSession start(IkeSessionConfig config, IkeTransport transport, IkeSessionListener listener) {
            if (startFailure != null) {
                throw startFailure;
            }
            FakeSession s = new FakeSession(config, (FakeTransport) transport, listener);
            sessions.add(s);
            ops.add("ike.start " + transport.remoteEndpoint());
            return s;
        }

        @Override
        public IkeSession resume(IkeSaRecord record, IkeSessionConfig config, IkeTransport transport,
                IkeSessionListener listener) {
            if (startFailure != null) {
                throw startFailure;
            }
            FakeSession s = new FakeSession(config, (FakeTransport) transport, listener);
            sessions.add(s);
            ops.add("ike.resume " + String.format("%016x", record.ikeSa().initiatorSpi()) + " " + transport.remoteEndpoint());
            return s;
        }

        FakeSession last() {
            return sessions.get(sessions.size() - 1);
        }
    }

    final class FakeSession implements IkeSession {
        final IkeSessionConfig config;
        final FakeTransport transport;
        final IkeSessionListener listener;
        final List<Integer> rekeyRequests = new ArrayList<>();
        int ikeRekeyRequests;
        /** The moves the policy asked for, {@code local -> remote}. */
        final List<String> moves = new ArrayList<>();
        /** The transport in use now: the first one, or the one of the last attach. */
        FakeTransport attached;
        boolean closed;
        /** The policy asked for the session as a record (the test delivers {@code handedOver}). */
        boolean handOverRequested;

        FakeSession(IkeSessionConfig config, FakeTransport transport, IkeSessionListener listener) {
            this.config = config;
            this.transport = transport;
            this.attached = transport;
            this.listener = listener;
        }

        @Override
        public String name() {
            return config.name();
        }

        @Override
        public boolean isActive() {
            return !closed;
        }

        @Override
        public void rekeyIkeSa() {
            ikeRekeyRequests++;
        }

        @Override
        public void rekeyChildSa(int spiIn) {
            rekeyRequests.add(spiIn);
        }

        @Override
        public void checkLiveness() {
        }

        @Override
        public void moveTo(java.net.InetAddress local, java.net.InetAddress remote) {
            moves.add(local.getHostAddress() + " -> " + remote.getHostAddress());
        }

        @Override
        public void handOver(java.time.Duration grace) {
            ops.add("ike.handOver");
            handOverRequested = true;
        }

        @Override
        public void detachTransport() {
            ops.add("ike.detach");
            attached.close();
        }

        @Override
        public void attachTransport(IkeTransport t) {
            ops.add("ike.attach " + t.remoteEndpoint());
            attached = (FakeTransport) t;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ops.add("ike.close");
            }
        }
    }

    final class FakeTransport implements IkeTransport {
        final InetSocketAddress remote;
        boolean closed;

        FakeTransport(InetSocketAddress remote) {
            this.remote = remote;
        }

        @Override
        public InetSocketAddress localEndpoint() {
            return new InetSocketAddress(CLIENT_NATT.getAddress(), 500);
        }

        @Override
        public InetSocketAddress remoteEndpoint() {
            return remote;
        }

        @Override
        public void setRemoteEndpoint(InetSocketAddress next) {
            throw new UnsupportedOperationException("the fake gateway never moves");
        }

        @Override
        public void setLocalAddress(java.net.InetAddress local) {
            throw new UnsupportedOperationException("the engine moves the transport, never the policy");
        }

        @Override
        public void open(Receiver receiver) {
        }

        @Override
        public void send(byte[] message) {
        }

        @Override
        public void switchToNatTraversalPort() {
        }

        @Override
        public boolean isOnNatTraversalPort() {
            return false;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    final class FakeDataPath implements DataPath {
        IOException transportFailure;
        IOException tunnelFailure;
        final List<FakeTunnel> tunnels = new ArrayList<>();

        @Override
        public IkeTransport openIkeTransport(InetSocketAddress gateway) throws IOException {
            if (transportFailure != null) {
                throw transportFailure;
            }
            return new FakeTransport(gateway);
        }

        @Override
        public DataPathTunnel openTunnel(TunnelConfig config) throws IOException {
            if (tunnelFailure != null) {
                throw tunnelFailure;
            }
            FakeTunnel t = new FakeTunnel(config);
            tunnels.add(t);
            ops.add("tunnel.open " + config.nic().name() + " -> " + config.gateway() + " keepalive "
                    + config.keepaliveInterval().toSeconds() + "s");
            return t;
        }

        @Override
        public DataPathCounters counters() {
            return DataPathCounters.empty();
        }

        FakeTunnel last() {
            return tunnels.get(tunnels.size() - 1);
        }
    }

    final class FakeTunnel implements DataPathTunnel {
        final TunnelConfig config;
        SpdConfiguration spd;
        DataPathCounters counters = DataPathCounters.empty();
        final List<EspSa> installed = new ArrayList<>();
        boolean closed;

        FakeTunnel(TunnelConfig config) {
            this.config = config;
            this.spd = config.spd();
        }

        @Override
        public void installSaPair(EspSa inbound, EspSa outbound) {
            check(inbound);
            check(outbound);
            installed.add(inbound);
            installed.add(outbound);
            ops.add(String.format("install %d in=%08x out=%08x", inbound.childSaId(), inbound.spi(), outbound.spi()));
        }

        @Override
        public void installInbound(EspSa inbound) {
            check(inbound);
            ops.add(String.format("installInbound %08x", inbound.spi()));
        }

        @Override
        public void installOutbound(EspSa outbound) {
            check(outbound);
            ops.add(String.format("installOutbound %08x", outbound.spi()));
        }

        @Override
        public void removeInbound(int spi) {
            ops.add(String.format("removeInbound %08x", spi));
        }

        @Override
        public void removeChildSa(int childSaId) {
            ops.add("removeChildSa " + childSaId);
        }

        @Override
        public void updatePolicy(SpdConfiguration s) {
            spd = s;
            ops.add("policy " + s.rules().size() + " rules");
        }

        @Override
        public void updateGateway(InetSocketAddress gateway) {
            ops.add("gateway " + gateway);
        }

        @Override
        public void keepaliveInterval(Duration interval) {
            ops.add("keepalive " + interval.toSeconds() + "s");
        }

        /** As the contract says: after close, the final counters (here: whatever the test set). */
        @Override
        public DataPathCounters counters() {
            return counters;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ops.add("tunnel.close");
            }
        }

        private void check(EspSa sa) {
            if (closed) {
                throw new IllegalStateException("install on a closed tunnel");
            }
            if (sa.keys().isClosed()) {
                throw new IllegalStateException("installing an SA whose keys were wiped: " + sa);
            }
        }
    }

    /**
     * Keeps the policies as the kernel would; records each change in {@link #changes} with the {@link #ops} done
     * before it; refuses when told to.
     */
    final class FakeKillSwitch implements KillSwitch {
        final java.util.SortedMap<String, KillSwitchPolicy> installed = new java.util.TreeMap<>();
        final List<String> changes = new ArrayList<>();
        boolean refuse;
        long dropped = 7;

        @Override
        public void apply(String connection, KillSwitchPolicy policy) throws VnicException {
            if (refuse) {
                throw new VnicException("nft -f failed: Operation not permitted");
            }
            installed.put(connection, policy);
            changes.add("apply " + connection + (policy.killSwitch() ? " on" : " off") + " tunnelled="
                    + policy.tunnelled() + " after " + ops);
        }

        @Override
        public void remove(String connection, String reason) {
            if (installed.remove(connection) != null) {
                changes.add("remove " + connection + ": " + reason);
            }
        }

        @Override
        public java.util.Set<String> installed() {
            return new java.util.TreeSet<>(installed.keySet());
        }

        @Override
        public java.util.Optional<KillSwitchPolicy> policy(String connection) {
            return java.util.Optional.ofNullable(installed.get(connection));
        }

        @Override
        public long droppedPackets(String connection) {
            return installed.containsKey(connection) ? dropped : -1;
        }
    }

    final class FakeNics implements VirtualNicFactory {
        VnicException failure;
        final List<FakeNic> opened = new ArrayList<>();

        @Override
        public VirtualNic open(VnicConfig config) throws VnicException {
            if (failure != null) {
                throw failure;
            }
            FakeNic nic = new FakeNic(config.name() != null ? config.name() : "mvpn" + opened.size(), config);
            opened.add(nic);
            ops.add("nic.open " + (config.name() != null ? config.name() + " " : "") + config.addresses() + " routes "
                    + config.routes() + " mtu " + config.mtu());
            return nic;
        }

        FakeNic last() {
            return opened.get(opened.size() - 1);
        }

        @Override
        public PreferredUplinkRoute routeGateway(InetAddress gateway, String uplink, InetAddress nextHop) {
            String route = gateway.getHostAddress() + " dev " + uplink
                    + (nextHop == null ? "" : " via " + nextHop.getHostAddress());
            ops.add("nics.routeGateway " + route);
            return () -> ops.add("nics.routeGateway closed " + route);
        }
    }

    final class FakeNic implements VirtualNic {
        final String name;
        VnicConfig config;
        boolean closed;

        FakeNic(String name, VnicConfig config) {
            this.name = name;
            this.config = config;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public VnicConfig config() {
            return config;
        }

        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public int readNow(ByteBuffer dst) {
            return -1;
        }

        @Override
        public int readinessDescriptor() {
            return -1;
        }

        @Override
        public int pending() {
            return 0;
        }

        @Override
        public void write(ByteBuffer src) {
            src.position(src.limit());
        }

        @Override
        public void flush() {
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void reconfigure(VnicConfig c) {
            config = c;
            ops.add("nic.reconfigure routes " + c.routes());
        }

        @Override
        public void routeGateway(InetAddress gateway, String uplink, InetAddress nextHop) {
            ops.add("nic.routeGateway " + gateway.getHostAddress() + " dev " + uplink
                    + (nextHop == null ? "" : " via " + nextHop.getHostAddress()));
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ops.add("nic.close");
            }
        }
    }

    /** Events in order, as "STATE reason" or "REKEYED reason". */
    static final class RecordingEvents implements ConnectionEvents {
        final List<String> events = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        /** The state each rekey event reported. */
        final List<ConnectionState> rekeyStates = new ArrayList<>();

        @Override
        public void stateChanged(String name, ConnectionState previous, ConnectionState state, String reason, String message) {
            events.add(name + " " + state + " " + reason);
            messages.add(String.valueOf(message));
        }

        @Override
        public void moved(String name, InetSocketAddress oldLocal, InetSocketAddress newLocal,
                InetSocketAddress oldGateway, InetSocketAddress newGateway, Duration outage) {
            events.add(name + " MOVED " + oldLocal.getAddress().getHostAddress() + " -> "
                    + newLocal.getAddress().getHostAddress() + " " + outage.toMillis() + " ms");
        }

        @Override
        public void rekeyed(String name, ConnectionState state, String reason, String message) {
            events.add(name + " REKEYED " + reason);
            rekeyStates.add(state);
            messages.add(String.valueOf(message));
        }
    }
}
