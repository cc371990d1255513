package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.IkeMessageCodec;

/**
 * A data path swap (DESIGN.md "state is data"): the session is detached from its transport and attached to
 * a new one, and goes on with the same IKE SA, the same message IDs and the same port, without a new
 * IKE_SA_INIT.
 */
class TransportHandoverTest {

    @Test
    void theSameIkeSaContinuesOverTheNewTransport() throws Exception {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().encap(true).build());
        ScriptedTransport old = s.transport;
        assertTrue(old.isOnNatTraversalPort(), "encap = true moved IKE to port 4500");
        long spiI = s.last(ScriptedSession.IkeUp.class).info().initiatorSpi();

        s.session.detachTransport();
        s.clock.runReady();
        assertTrue(old.closed, "the old transport is released at once");
        old.fail(new IOException("socket closed by the stopping data path"));
        s.session.checkLiveness(); // due while detached: cannot go out, but does not end the session
        s.pump();
        assertEquals(0, s.events(ScriptedSession.Failed.class).size(), s.events.toString());
        assertTrue(s.session.isActive());

        ScriptedTransport next = new ScriptedTransport(s.clock);
        s.transport = next;
        s.session.attachTransport(next);
        s.pump();

        assertTrue(next.isOnNatTraversalPort(), "the new transport continues on port 4500");
        List<ScriptedTransport.Sent> sent = next.sent();
        assertEquals(1, sent.size(), "the pending liveness check went out at once, and only once");
        IkeHeader h = IkeMessageCodec.decodeHeader(sent.get(0).datagram());
        assertEquals(ExchangeType.INFORMATIONAL, h.exchangeType());
        assertEquals(spiI, h.initiatorSpi(), "the same IKE SA");
        assertEquals(0, s.events(ScriptedSession.Failed.class).size(), s.events.toString());
        assertEquals(1, s.events(ScriptedSession.IkeUp.class).size(), "no new handshake");

        s.clock.advance(Duration.ofSeconds(30)); // nothing pending: no retransmission of the answered check
        s.pump();
        assertEquals(1, next.sent().size());
        assertFalse(next.closed);
    }

    @Test
    void aLivenessCheckThatCannotGoOutWhileDetachedEndsTheSessionAsAnUnansweredOneWould() {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().build());
        s.session.detachTransport();
        s.session.checkLiveness();
        s.clock.advance(Duration.ofMinutes(10));
        ScriptedSession.Failed failed = s.last(ScriptedSession.Failed.class);
        assertEquals(FailureReason.PEER_GONE, failed.reason(), failed.message());
    }

    @Test
    void aTransportAttachedToAnEndedSessionIsClosed() {
        ScriptedSession s = new ScriptedSession().start(ScriptedSession.config().build());
        s.session.detachTransport();
        s.session.close(); // its DELETE cannot go out: the session ends when the retransmissions give up
        s.clock.advance(Duration.ofMinutes(10));
        ScriptedTransport next = new ScriptedTransport(s.clock);
        s.session.attachTransport(next);
        s.clock.runReady();
        assertFalse(s.session.isActive());
        assertTrue(next.closed, "nobody else would close it");
    }
}
