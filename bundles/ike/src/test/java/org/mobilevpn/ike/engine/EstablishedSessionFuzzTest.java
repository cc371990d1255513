package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.ProtocolId;

/**
 * Coverage-guided fuzzing of an established IKE SA (our engine against the scripted gateway of
 * {@link ScriptedSession}): the fuzzer writes what reaches the client after the handshake. Without keys:
 * arbitrary datagrams, and headers with the live SPIs and message IDs in front of arbitrary octets. With keys
 * (the gateway's own protection): requests and responses whose inner payload octets, first payload type,
 * exchange type and message ID the fuzzer chooses, and fragmented messages (RFC 7383) delivered in any order,
 * repeated, or with an octet changed, which exercises the reassembly. Time may pass in between.
 *
 * <p>The engine never fails INTERNAL (an escaped exception), ends a session with exactly one final event, and
 * while only unauthenticated octets arrived and no time passed, the session is untouched and still answers a
 * liveness check. Inputs and findings: src/test/resources/org/mobilevpn/ike/engine/
 * EstablishedSessionFuzzTestInputs/gatewayDatagrams.
 */
class EstablishedSessionFuzzTest {
    private static final int MAX_STEPS = 12;

    @FuzzTest
    void gatewayDatagrams(FuzzedDataProvider in) {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().build());
        assertTrue(s.session.isActive(), "setup: " + s.events);
        boolean touched = false;
        for (int step = 0; step < MAX_STEPS && in.remainingBytes() > 0 && s.session.isActive(); step++) {
            switch (in.consumeInt(0, 4)) {
                case 0 -> unauthenticated(s, in.consumeBytes(in.consumeInt(0, 1500)));
                case 1 -> unauthenticated(s, liveHeader(s, in));
                case 2 -> {
                    touched = true;
                    authenticated(s, in);
                }
                case 3 -> {
                    touched = true;
                    fragments(s, in);
                }
                default -> {
                    touched = true;
                    s.clock.advance(Duration.ofSeconds(in.consumeInt(1, 90)));
                    s.pump();
                }
            }
            for (ScriptedSession.Failed f : s.events(ScriptedSession.Failed.class)) {
                assertTrue(f.reason() != FailureReason.INTERNAL, "the engine failed internally: " + f.message());
            }
        }
        if (!touched) {
            assertTrue(s.session.isActive(), "unauthenticated datagrams ended the session: " + s.events);
        }
        if (s.session.isActive()) {
            int answers = s.gateway.answers.size();
            s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of()));
            assertEquals(answers + 1, s.gateway.answers.size(), "a liveness check is answered: " + s.events);
        } else {
            long finals = s.events.stream().filter(e -> e instanceof ScriptedSession.Failed
                    || e instanceof ScriptedSession.IkeDeleted).count();
            assertEquals(1, finals, s.events.toString());
        }
    }

    private static void unauthenticated(ScriptedSession s, byte[] datagram) {
        s.transport.deliver(datagram);
        s.clock.runReady();
        s.transport.takeNew();
    }

    /** The live SPIs, any exchange, flags and a message ID near the window, then arbitrary octets. */
    private static byte[] liveHeader(ScriptedSession s, FuzzedDataProvider in) {
        TestResponder.PeerSa peer = s.gateway.current;
        byte[] body = in.consumeBytes(in.consumeInt(0, 600));
        byte[] d = new byte[IkeHeader.LENGTH + body.length];
        putLong(d, 0, peer.sa.spiI);
        putLong(d, 8, peer.sa.spiR);
        d[16] = (byte) in.consumeInt(0, 255);
        d[17] = 0x20;
        d[18] = (byte) in.consumeInt(33, 44);
        d[19] = (byte) in.consumeInt(0, 255);
        putInt(d, 20, peer.nextRequestId + in.consumeInt(-2, 2));
        putInt(d, 24, in.consumeBoolean() ? d.length : in.consumeInt());
        System.arraycopy(body, 0, d, IkeHeader.LENGTH, body.length);
        return d;
    }

    /** A request or response under the gateway's keys, its inner octets the fuzzer's. */
    private static void authenticated(ScriptedSession s, FuzzedDataProvider in) {
        TestResponder.PeerSa peer = s.gateway.current;
        int exchange = in.consumeInt(ExchangeType.IKE_AUTH, ExchangeType.INFORMATIONAL + 8);
        boolean response = in.consumeInt(0, 7) == 0;
        int id = response ? in.consumeInt(0, 4) : peer.nextRequestId + (in.consumeInt(0, 7) == 0 ? in.consumeInt(-2, 2) : 0);
        int first = in.consumeInt(0, 255);
        byte[] inner = in.consumeBytes(in.consumeInt(0, 800));
        IkeHeader header = new IkeHeader(peer.sa.spiI, peer.sa.spiR, 0, 2, 0, exchange,
                response ? IkeHeader.FLAG_RESPONSE : 0, id, 0);
        deliverRequest(s, peer, !response && id == peer.nextRequestId, List.of(peer.protector.protectInner(header, first, inner)));
    }

    /**
     * Delivers a message and counts its message ID as used (RFC 7296 §2.3) only when the client answered it:
     * the fuzzer may withhold fragments, and a later request must then reuse the ID.
     */
    private static void deliverRequest(ScriptedSession s, TestResponder.PeerSa peer, boolean nextRequest,
            List<byte[]> datagrams) {
        int answers = s.gateway.answers.size();
        s.fromGateway(datagrams);
        if (nextRequest && s.gateway.answers.size() > answers) {
            peer.nextRequestId++;
        }
    }

    /** A real request split into SKF fragments, delivered as the fuzzer orders, repeats or damages them. */
    private static void fragments(ScriptedSession s, FuzzedDataProvider in) {
        TestResponder.PeerSa peer = s.gateway.current;
        int ourChild = s.gateway.children.isEmpty() ? 0x1234 : s.gateway.children.get(0).spiIn;
        List<List<Payload>> templates = List.of(
                List.of(),
                List.of(NotifyPayload.of(NotifyType.INITIAL_CONTACT, new byte[in.consumeInt(0, 400)])),
                List.of(DeletePayload.esp(ourChild)),
                List.of(new NotifyPayload(ProtocolId.ESP, TestResponder.spiBytes(ourChild), NotifyType.REKEY_SA,
                        new byte[0]), NotifyPayload.of(NotifyType.INITIAL_CONTACT, new byte[in.consumeInt(0, 200)])));
        List<Payload> payloads = templates.get(in.consumeInt(0, templates.size() - 1));
        int exchange = in.consumeBoolean() ? ExchangeType.INFORMATIONAL : ExchangeType.CREATE_CHILD_SA;
        IkeHeader header = new IkeHeader(peer.sa.spiI, peer.sa.spiR, 0, 2, 0, exchange, 0, peer.nextRequestId, 0);
        List<byte[]> parts = peer.protector.protectFragmented(header, payloads, in.consumeInt(100, 400));
        int deliveries = in.consumeInt(0, 2 * parts.size());
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            byte[] part = parts.get(in.consumeInt(0, parts.size() - 1)).clone();
            if (in.consumeInt(0, 7) == 0) {
                part[in.consumeInt(0, part.length - 1)] ^= (byte) in.consumeInt(1, 255);
            }
            sent.add(part);
        }
        deliverRequest(s, peer, true, sent);
    }

    private static void putLong(byte[] d, int at, long v) {
        putInt(d, at, (int) (v >>> 32));
        putInt(d, at + 4, (int) v);
    }

    private static void putInt(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 24);
        d[at + 1] = (byte) (v >>> 16);
        d[at + 2] = (byte) (v >>> 8);
        d[at + 3] = (byte) v;
    }
}
