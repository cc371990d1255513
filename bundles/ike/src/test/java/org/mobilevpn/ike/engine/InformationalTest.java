package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.UnknownPayload;

/** INFORMATIONAL exchanges (RFC 7296 §1.4, §1.5, §2.4, §2.5): deletes both ways, liveness, errors. */
class InformationalTest {

    private static ScriptedSession established() {
        return new ScriptedSession().start(ScriptedSession.config().build());
    }

    @Test
    void gatewayDeletesTheChildSa() {
        ScriptedSession s = established();
        int ourSpi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        TestResponder.Child child = s.gateway.children.get(0);
        s.fromGateway(s.gateway.deleteChild(child));

        assertEquals(new ScriptedSession.ChildDeleted(ourSpi, true), s.last(ScriptedSession.ChildDeleted.class));
        IkeMessage answer = s.gateway.answers.get(s.gateway.answers.size() - 1);
        DeletePayload d = answer.first(DeletePayload.class);
        assertEquals(ProtocolId.ESP, d.protocolId());
        assertEquals(List.of(ourSpi), d.spis(), "RFC 7296 §1.4.1: answered with our SPI of the pair");
        assertTrue(s.session.isActive(), "the IKE SA stays");
    }

    @Test
    void gatewayDeletesTheIkeSa() {
        ScriptedSession s = established();
        int ourSpi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        s.fromGateway(s.gateway.deleteIke());

        assertEquals(List.of(new ScriptedSession.ChildDeleted(ourSpi, true), new ScriptedSession.IkeDeleted(true)),
                s.events.subList(2, s.events.size()));
        assertTrue(s.gateway.answers.get(0).payloads().isEmpty(), "an empty answer");
        assertFalse(s.session.isActive());
        assertTrue(s.transport.closed);
        assertEquals(-1, s.clock.nextTimerAt());
    }

    @Test
    void closeDeletesAtTheGateway() {
        ScriptedSession s = established();
        s.session.close();
        s.pump();
        assertTrue(s.gateway.current.deleted, "the gateway got Delete(IKE)");
        assertEquals(new ScriptedSession.IkeDeleted(false), s.last(ScriptedSession.IkeDeleted.class));
        assertFalse(s.session.isActive());
    }

    @Test
    void closeWithoutAnAnswerStillEndsAfterRetransmissions() {
        ScriptedSession s = established();
        s.dropFromClient = Integer.MAX_VALUE;
        s.session.close();
        s.pump();
        s.clock.advance(Duration.ofSeconds(166));
        assertEquals(new ScriptedSession.IkeDeleted(false), s.last(ScriptedSession.IkeDeleted.class));
        assertTrue(s.events(ScriptedSession.Failed.class).isEmpty(), "closing is not a failure");
    }

    @Test
    void idleSessionSendsLivenessChecksAndKeepsRunningWhileAnswered() {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(30)).build());
        int sentBefore = s.transport.sent().size();
        s.clock.advance(Duration.ofSeconds(30));
        s.pump();
        IkeMessage check = ScriptedSession.decode(s.transport.sent().get(sentBefore).datagram());
        assertEquals(ExchangeType.INFORMATIONAL, check.header().exchangeType());
        assertEquals(1, s.gateway.requestsSeen.get(s.gateway.requestsSeen.size() - 1).header().messageId() - 1,
                "IKE_AUTH was 1, the check is 2");
        assertTrue(s.gateway.requestsSeen.get(s.gateway.requestsSeen.size() - 1).payloads().isEmpty());
        for (int round = 0; round < 2; round++) { // the scripted gateway answers each check when pumped
            s.clock.advance(Duration.ofSeconds(30));
            s.pump();
        }
        assertTrue(s.session.isActive(), () -> "ended: " + s.events);
    }

    @Test
    void unansweredLivenessCheckIsPeerGone() {
        ScriptedSession s = new ScriptedSession().settings(EngineSettings.DEFAULTS.withRetransmission(Duration.ofSeconds(2), 1.5, 3))
                .start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(30)).build());
        s.dropFromClient = Integer.MAX_VALUE;
        s.clock.advance(Duration.ofSeconds(30)); // the check goes out
        s.clock.advance(Duration.ofMillis(2000 + 3000 + 4500 + 6750 - 1));
        assertTrue(s.session.isActive());
        s.clock.advance(Duration.ofMillis(2));
        assertEquals(FailureReason.PEER_GONE, s.last(ScriptedSession.Failed.class).reason());
    }

    @Test
    void theLivenessCheckGoesOutOneDpdDelayAfterTheLastMessageFromTheGateway() {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(30)).build());
        s.clock.advance(Duration.ofSeconds(20));
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of())); // the gateway's own check at 20 s
        int sentBefore = s.transport.sent().size(); // our answer to it is already out
        s.clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertEquals(sentBefore, s.transport.sent().size(), "silent for less than dpd_delay: no check");
        s.clock.advance(Duration.ofMillis(1));
        assertEquals(sentBefore + 1, s.transport.sent().size(), "the check at 50 s, not at the next 30 s tick (60 s)");
    }

    @Test
    void anUnansweredLivenessCheckGivesUpAfterOneDpdDelayThoughRetransmissionsWouldWaitLonger() {
        // default schedule: 4 s x 1.8, 5 tries = 165 s; dpd_delay 10 s bounds the check to 10 s
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(10)).build());
        s.dropFromClient = Integer.MAX_VALUE;
        int sentBefore = s.transport.sent().size();
        s.clock.advance(Duration.ofSeconds(10)); // silent for dpd_delay: the check goes out
        s.clock.advance(Duration.ofMillis(10_000 - 1));
        assertTrue(s.session.isActive());
        assertEquals(2, s.transport.sent().size() - sentBefore, "the check and its retransmission after 4 s");
        s.clock.advance(Duration.ofMillis(2));
        ScriptedSession.Failed failed = s.last(ScriptedSession.Failed.class);
        assertEquals(FailureReason.PEER_GONE, failed.reason());
        assertTrue(failed.message().endsWith("after 10.0 s"), "the bound that applied: " + failed.message());
    }

    @Test
    void unknownCriticalPayloadIsAnsweredWithItsType() {
        ScriptedSession s = established();
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of(new UnknownPayload(201, true, new byte[] {9}))));
        NotifyPayload n = s.gateway.answers.get(0).first(NotifyPayload.class);
        assertEquals(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, n.notifyType());
        assertArrayEquals(new byte[] {(byte) 201}, n.data());
        assertTrue(s.session.isActive());

        // Not critical: skipped, and the request is processed as if it were not there.
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of(new UnknownPayload(202, false, new byte[] {9}))));
        assertTrue(s.gateway.answers.get(1).payloads().isEmpty());
    }

    @Test
    void gatewayReportingOurAuthenticationFailedEndsTheSession() {
        ScriptedSession s = established();
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED))));
        assertEquals(FailureReason.AUTH_FAILED, s.last(ScriptedSession.Failed.class).reason());
    }

    @Test
    void aThrowingListenerDoesNotBreakTheEngine() {
        ScriptedSession s = new ScriptedSession() {
            @Override
            public void childSaEstablished(org.mobilevpn.api.ike.ChildSaInfo childSa) {
                throw new IllegalStateException("listener bug");
            }
        };
        s.start(ScriptedSession.config().build());
        assertTrue(s.session.isActive());
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of()));
        assertEquals(1, s.gateway.answers.size(), "still answering");
    }
}
