package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.PayloadType;

/**
 * Datagrams that claim to come from the gateway, with the session's live SPIs and message IDs, but fail the
 * integrity check (forged) or cannot even be parsed up to it (malformed): they change nothing (RFC 7296
 * §2.21.2). No failure, no message ID used up, no cached response sent again, no liveness refreshed, no
 * NAT-T port moved (§2.23). Each of these was possible before the check moved ahead of every effect.
 */
class UnauthenticatedDatagramTest {
    private static final InetSocketAddress GATEWAY_4501 = new InetSocketAddress("198.51.100.1", 4501);
    private final Random random = new Random(7296);

    private static ScriptedSession established(Duration dpdDelay) {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().encap(true).dpdDelay(dpdDelay).build());
        assertTrue(s.session.isActive(), s.events.toString());
        return s;
    }

    /** A datagram with the gateway's header for our IKE SA and an SK payload of random octets. */
    private byte[] forged(ScriptedSession s, boolean response, int messageId) {
        IkeSa sa = s.gateway.current.sa;
        byte[] body = new byte[80];
        random.nextBytes(body);
        int length = IkeHeader.LENGTH + 4 + body.length;
        return ByteBuffer.allocate(length).putLong(sa.spiI).putLong(sa.spiR).put((byte) PayloadType.SK).put((byte) 0x20)
                .put((byte) ExchangeType.INFORMATIONAL).put((byte) (response ? IkeHeader.FLAG_RESPONSE : 0))
                .putInt(messageId).putInt(length).put((byte) 0).put((byte) 0).putShort((short) (4 + body.length))
                .put(body).array();
    }

    /** The same header, but a payload chain that breaks before the SK payload could be checked. */
    private static byte[] malformed(ScriptedSession s, boolean response, int messageId) {
        IkeSa sa = s.gateway.current.sa;
        int length = IkeHeader.LENGTH + 8;
        return ByteBuffer.allocate(length).putLong(sa.spiI).putLong(sa.spiR).put((byte) PayloadType.NOTIFY)
                .put((byte) 0x20).put((byte) ExchangeType.INFORMATIONAL)
                .put((byte) (response ? IkeHeader.FLAG_RESPONSE : 0)).putInt(messageId).putInt(length)
                .put((byte) 0).put((byte) 0).putShort((short) 2) // a payload shorter than its own header
                .putInt(0).array();
    }

    /** A genuine datagram with one octet of its ICV changed. */
    private static byte[] tampered(byte[] genuine) {
        byte[] d = genuine.clone();
        d[d.length - 1] ^= 0x01;
        return d;
    }

    private static void assertUntouched(ScriptedSession s) {
        assertTrue(s.session.isActive(), s.events.toString());
        assertTrue(s.events(ScriptedSession.Failed.class).isEmpty(), s.events.toString());
        assertNull(s.transport.movedTo, "the gateway's endpoint stays where it was");
    }

    @Test
    void forgedAndMalformedAnswersToOurRequestLeaveItWaitingForTheRealOne() {
        ScriptedSession s = established(Duration.ofSeconds(30));
        s.hold = true;
        s.session.checkLiveness();
        s.pump();
        assertEquals(1, s.held.size());
        int id = ScriptedSession.decode(s.held.get(0)).header().messageId();

        for (int i = -1; i <= 1; i++) {
            s.transport.deliver(forged(s, true, id + i));
            s.transport.deliver(malformed(s, true, id + i));
        }
        s.clock.runReady();
        assertUntouched(s);
        assertTrue(s.events(ScriptedSession.LivenessChecked.class).isEmpty(), "not answered by a forgery");

        s.release();
        assertEquals(1, s.events(ScriptedSession.LivenessChecked.class).size(), "the real answer still counts");
        assertUntouched(s);
    }

    @Test
    void aForgedOrMalformedRequestIsNotAnsweredAndUsesNoMessageId() {
        ScriptedSession s = established(Duration.ofSeconds(30));
        int id = s.gateway.current.nextRequestId;
        s.transport.takeNew();

        s.transport.deliver(forged(s, false, id));
        s.transport.deliver(malformed(s, false, id));
        s.clock.runReady();
        assertEquals(List.of(), s.transport.takeNew(), "nothing is sent in answer to either");
        assertUntouched(s);

        int answers = s.gateway.answers.size();
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of()));
        assertEquals(answers + 1, s.gateway.answers.size(), "message ID " + id + " is still the gateway's to use");
    }

    @Test
    void aForgedCopyOfTheLastRequestDoesNotSendTheCachedResponseAgain() {
        ScriptedSession s = established(Duration.ofSeconds(30));
        List<byte[]> request = s.gateway.request(ExchangeType.INFORMATIONAL, List.of());
        s.fromGateway(request);
        s.transport.takeNew();

        s.transport.deliver(tampered(request.get(0)));
        s.clock.runReady();
        assertEquals(List.of(), s.transport.takeNew(), "a forged duplicate is not answered");

        s.transport.deliver(request.get(0));
        s.clock.runReady();
        assertEquals(1, s.transport.takeNew().size(), "a genuine retransmission is answered from the cache");
        assertUntouched(s);
    }

    @Test
    void forgedDatagramsDoNotKeepASilentGatewayAlive() {
        ScriptedSession s = established(Duration.ofSeconds(10));
        s.transport.takeNew();
        s.dropFromClient = Integer.MAX_VALUE; // the gateway hears nothing from us from now on
        for (int second = 1; second <= 9; second++) {
            s.clock.advance(Duration.ofSeconds(1));
            s.transport.deliver(forged(s, false, s.gateway.current.nextRequestId));
            s.transport.deliver(tampered(s.fromGatewayLog.get(s.fromGatewayLog.size() - 1)));
        }
        s.clock.advance(Duration.ofSeconds(1));
        s.pump();
        List<byte[]> sent = s.fromClient;
        IkeHeader last = ScriptedSession.decode(sent.get(sent.size() - 1)).header();
        assertEquals(ExchangeType.INFORMATIONAL, last.exchangeType(),
                "the liveness check goes out dpd_delay after the last genuine message, forgeries or not");
        assertUntouched(s);
    }

    @Test
    void onlyAnAuthenticatedMessageMovesTheGatewaysNatTraversalPort() {
        ScriptedSession s = established(Duration.ofSeconds(30));
        assertTrue(s.transport.isOnNatTraversalPort());

        s.transport.deliverFrom(GATEWAY_4501, forged(s, false, s.gateway.current.nextRequestId));
        s.transport.deliverFrom(GATEWAY_4501, malformed(s, false, s.gateway.current.nextRequestId));
        s.clock.runReady();
        assertUntouched(s);

        for (byte[] d : s.gateway.request(ExchangeType.INFORMATIONAL, List.of())) {
            s.transport.deliverFrom(GATEWAY_4501, d);
        }
        s.clock.runReady();
        assertEquals(GATEWAY_4501, s.transport.movedTo, "the gateway's NAT mapping moved, proven by its keys");
    }
}
