package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeHeader;

/**
 * Reliability (RFC 7296 §2.1-2.3): retransmissions on strongSwan's schedule, window size 1, message IDs,
 * lost and duplicate datagrams — all on virtual time.
 */
class RetransmissionTest {

    @Test
    void retransmitsAfter4sTimes1point8FiveTimesThenReportsUnreachable() {
        ScriptedSession s = new ScriptedSession();
        s.dropFromClient = Integer.MAX_VALUE; // the gateway never hears us
        s.start(ScriptedSession.config().build());

        s.clock.advance(Duration.ofMillis(165_060));
        assertEquals(List.of(0L, 4000L, 11200L, 24160L, 47488L, 89478L),
                s.transport.sent().stream().map(ScriptedTransport.Sent::atMillis).toList());
        assertTrue(s.session.isActive(), "still waiting for the answer to the last retransmission");
        s.clock.advance(Duration.ofMillis(2));
        ScriptedSession.Failed failed = s.last(ScriptedSession.Failed.class);
        assertEquals(FailureReason.UNREACHABLE, failed.reason(), failed.message());
        assertTrue(!s.session.isActive() && s.transport.closed);
        assertEquals(-1, s.clock.nextTimerAt(), "no timer left behind");
        // every retransmission is the identical datagram
        for (ScriptedTransport.Sent sent : s.transport.sent()) {
            assertArrayEquals(s.transport.sent().get(0).datagram(), sent.datagram());
        }
    }

    @Test
    void aLostResponseIsRecoveredByRetransmission() {
        ScriptedSession s = new ScriptedSession();
        s.dropFromGateway = 1; // the IKE_SA_INIT response is lost
        s.start(ScriptedSession.config().build());
        assertTrue(s.events.isEmpty());

        s.clock.advance(Duration.ofSeconds(4));
        s.pump();
        assertEquals(2, s.events.size(), s.events.toString());
        s.last(ScriptedSession.ChildUp.class);
    }

    @Test
    void aLostIkeAuthResponseIsAnsweredFromTheGatewaysCache() {
        ScriptedSession t = new ScriptedSession();
        t.loseGatewayDatagrams.add(1);          // the gateway's second datagram, its IKE_AUTH answer
        t.start(ScriptedSession.config().build());
        assertTrue(t.events.isEmpty());
        t.clock.advance(Duration.ofSeconds(4)); // retransmission; the gateway answers from its cache
        t.pump();
        t.last(ScriptedSession.ChildUp.class);
        assertEquals(1, t.gateway.children.size(), "the gateway processed IKE_AUTH once");
    }

    @Test
    void aDuplicateRequestGetsTheSameAnswerAndIsNotProcessedTwice() {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().build());
        TestResponder.Child child = s.gateway.children.get(0);
        List<byte[]> delete = s.gateway.deleteChild(child);
        int before = s.transport.sent().size();
        s.fromGateway(delete);
        byte[] answer = s.transport.sent().get(before).datagram();
        assertEquals(1, s.events(ScriptedSession.ChildDeleted.class).size());

        s.fromGateway(delete); // the gateway did not get our answer and sends the request again
        assertEquals(before + 2, s.transport.sent().size());
        assertArrayEquals(answer, s.transport.sent().get(before + 1).datagram(), "the cached answer, byte for byte");
        assertEquals(1, s.events(ScriptedSession.ChildDeleted.class).size(), "not processed twice");
    }

    @Test
    void requestsOutOfSequenceAndForgedDatagramsAreIgnored() {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().build());
        int before = s.transport.sent().size();
        s.gateway.current.nextRequestId = 5; // skips IDs 0..4
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of()));
        assertEquals(before, s.transport.sent().size(), "no answer to message ID 5 when 0 is expected");

        byte[] forged = s.transport.sent().get(1).datagram().clone();
        forged[forged.length - 1] ^= 1; // flip an ICV bit
        s.transport.deliver(forged);
        s.transport.deliver(new byte[] {1, 2, 3});
        s.pump();
        assertEquals(before, s.transport.sent().size());
        assertTrue(s.session.isActive());
        assertEquals(2, s.events.size());
    }

    @Test
    void onlyOneRequestOfOursIsOutstanding() {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().build());
        int spi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        s.hold = true;
        s.session.rekeyChildSa(spi);
        s.session.checkLiveness();
        s.pump();
        assertEquals(1, s.held.size(), "the liveness check waits for the rekey's answer");
        int rekeyId = ScriptedSession.decode(s.held.get(0)).header().messageId();
        s.clock.advance(Duration.ofSeconds(4));
        s.pump();
        assertEquals(2, s.held.size());
        assertEquals(rekeyId, ScriptedSession.decode(s.held.get(1)).header().messageId(), "a retransmission, not the next request");
        s.held.remove(1);
        s.release();
        List<IkeHeader> ours = s.fromClient.stream().map(d -> ScriptedSession.decode(d).header())
                .filter(h -> !h.isResponse()).toList();
        IkeHeader last = ours.get(ours.size() - 1);
        assertEquals(ExchangeType.INFORMATIONAL, last.exchangeType());
        assertTrue(last.messageId() > rekeyId, "message IDs count up");
    }
}
