package org.mobilevpn.ike.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeHandOverListener;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.testsupport.NonceRandom;
import org.mobilevpn.testsupport.TestLogger;

/**
 * Our session wired to a {@link TestResponder} through a {@link ScriptedTransport} on a {@link ManualScheduler}:
 * {@link #pump()} passes datagrams back and forth until both sides are quiet; knobs drop datagrams in either
 * direction. Events are recorded in order.
 */
class ScriptedSession implements IkeHandOverListener {
    private EngineSettings settings = EngineSettings.DEFAULTS;
    final ManualScheduler clock = new ManualScheduler();
    /** Replaced by a test that hands the session a new transport (a data path swap). */
    ScriptedTransport transport = new ScriptedTransport(clock);
    final TestResponder gateway = new TestResponder();
    final List<Object> events = new ArrayList<>();
    final List<byte[]> fromClient = new ArrayList<>();
    IkeSessionImpl session;
    /** The client's randomness; a test may fix the next nonce it draws. */
    final NonceRandom random = new NonceRandom();
    int dropFromClient;
    int dropFromGateway;
    /** While set, the client's datagrams are kept in {@link #held} instead of reaching the gateway. */
    boolean hold;
    final List<byte[]> held = new ArrayList<>();
    /** Positions in {@link #fromGatewayLog} of gateway datagrams to lose. */
    final java.util.Set<Integer> loseGatewayDatagrams = new java.util.HashSet<>();
    /** Datagrams the gateway sent, in order (including dropped ones). */
    final List<byte[]> fromGatewayLog = new ArrayList<>();

    record IkeUp(IkeSaInfo info) {
    }

    record ChildUp(ChildSaInfo info) {
    }

    record ChildRekeyed(int replaced, ChildSaInfo info) {
    }

    /** The gateway's rekey, reported before our answer left (receive with it, send once the old one goes). */
    record ChildRekeyedByPeer(int replaced, ChildSaInfo info) {
    }

    record ChildDeleted(int spiIn, boolean byPeer) {
    }

    record IkeRekeyed(IkeSaInfo info) {
    }

    record IkeDeleted(boolean byPeer) {
    }

    record Failed(FailureReason reason, String message) {
    }

    record LivenessChecked(java.time.Duration roundTrip) {
    }

    record HandedOver(IkeSaRecord record) {
    }

    /** Set to false before {@link #start}: the session gets a listener that cannot take it over. */
    boolean canTakeOver = true;

    static IkeSessionConfig.Builder config() {
        try {
            return IkeSessionConfig.builder("scripted").localId(IkeIdentity.parse("client@vpn.test"))
                    .remoteId(IkeIdentity.parse("gw.vpn.test")).psk(SecretBytes.copyOf("test-psk".getBytes()))
                    .ikeProposals(List.of("aes256gcm16-prfsha384-x25519")).espProposals(List.of("aes256gcm16"))
                    .vips(List.of(InetAddress.getByName("0.0.0.0")))
                    .remoteTs(List.of(TrafficSelector.parse("203.0.113.0/24"))).dpdDelay(java.time.Duration.ZERO);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The engine-wide settings the next {@link #start} uses. */
    ScriptedSession settings(EngineSettings settings) {
        this.settings = settings;
        return this;
    }

    ScriptedSession start(IkeSessionConfig config) {
        session = new IkeSessionImpl(config, settings, transport, canTakeOver ? this : plainListener(), clock, random,
                new TestLogger());
        session.start();
        pump();
        return this;
    }

    /** This listener's events through a plain {@link IkeSessionListener}, which cannot take a session over. */
    private IkeSessionListener plainListener() {
        return (IkeSessionListener) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {IkeSessionListener.class}, (proxy, method, args) -> method.invoke(this, args));
    }

    @Override
    public void handedOver(IkeSaRecord record) {
        events.add(new HandedOver(record));
    }

    /** Exchanges datagrams until neither side has anything more to send right now. */
    void pump() {
        for (int round = 0; round < 1000; round++) {
            clock.runReady();
            List<byte[]> out = transport.takeNew();
            if (out.isEmpty()) {
                return;
            }
            for (byte[] d : out) {
                fromClient.add(d);
                if (hold) {
                    held.add(d);
                    continue;
                }
                if (dropFromClient > 0) {
                    dropFromClient--;
                    continue;
                }
                List<byte[]> answers;
                try {
                    answers = gateway.handle(d);
                } catch (Exception e) {
                    throw new AssertionError("scripted gateway failed on " + describe(d), e);
                }
                for (byte[] a : answers) {
                    fromGatewayLog.add(a);
                    if (loseGatewayDatagrams.contains(fromGatewayLog.size() - 1)) {
                        continue;
                    }
                    if (dropFromGateway > 0) {
                        dropFromGateway--;
                        continue;
                    }
                    transport.deliver(a);
                }
            }
        }
        throw new AssertionError("the two sides never went quiet");
    }

    /** Lets the held datagrams reach the gateway and its answers come back. */
    void release() {
        hold = false;
        passHeld();
    }

    /**
     * Lets the datagrams held so far reach the gateway (its answers come back, minus those
     * {@link #loseGatewayDatagrams} names), but keeps holding what the client sends next.
     */
    void passHeld() {
        List<byte[]> copy = new ArrayList<>(held);
        held.clear();
        for (byte[] d : copy) {
            try {
                for (byte[] a : gateway.handle(d)) {
                    fromGatewayLog.add(a);
                    if (!loseGatewayDatagrams.contains(fromGatewayLog.size() - 1)) {
                        transport.deliver(a);
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        pump();
    }

    /** Delivers datagrams the gateway starts with, then pumps. */
    void fromGateway(List<byte[]> datagrams) {
        for (byte[] d : datagrams) {
            transport.deliver(d);
        }
        pump();
    }

    static String describe(byte[] d) {
        try {
            return IkeMessageCodec.decode(d).toString();
        } catch (Exception e) {
            return d.length + " octets";
        }
    }

    static IkeMessage decode(byte[] d) {
        try {
            return IkeMessageCodec.decode(d);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    <T> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T> T last(Class<T> type) {
        List<T> all = events(type);
        if (all.isEmpty()) {
            throw new AssertionError("no " + type.getSimpleName() + " in " + events);
        }
        return all.get(all.size() - 1);
    }

    @Override
    public void ikeSaEstablished(IkeSaInfo ikeSa) {
        events.add(new IkeUp(ikeSa));
    }

    @Override
    public void childSaEstablished(ChildSaInfo childSa) {
        events.add(new ChildUp(childSa));
    }

    @Override
    public void childSaRekeyed(int replacedSpiIn, ChildSaInfo replacement) {
        events.add(new ChildRekeyed(replacedSpiIn, replacement));
    }

    @Override
    public void childSaRekeyedByPeer(int replacedSpiIn, ChildSaInfo replacement) {
        events.add(new ChildRekeyedByPeer(replacedSpiIn, replacement));
    }

    @Override
    public void childSaDeleted(int spiIn, boolean byPeer) {
        events.add(new ChildDeleted(spiIn, byPeer));
    }

    @Override
    public void ikeSaRekeyed(IkeSaInfo replacement) {
        events.add(new IkeRekeyed(replacement));
    }

    @Override
    public void ikeSaDeleted(boolean byPeer) {
        events.add(new IkeDeleted(byPeer));
    }

    @Override
    public void livenessChecked(java.time.Duration roundTrip) {
        events.add(new LivenessChecked(roundTrip));
    }

    @Override
    public void failed(FailureReason reason, String message) {
        events.add(new Failed(reason, message));
    }
}
