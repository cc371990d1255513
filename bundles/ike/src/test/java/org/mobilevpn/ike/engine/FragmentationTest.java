package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.ike.message.EncryptedFragmentPayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeMessage;

/** IKE fragmentation (RFC 7383): negotiation, our fragments, reassembly of the gateway's, lost fragments. */
class FragmentationTest {

    /** Enough selectors to make IKE_AUTH longer than a small fragment size. */
    private static List<TrafficSelector> manySelectors() {
        List<TrafficSelector> ts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ts.add(TrafficSelector.parse("203.0.113." + (i * 4) + "/30"));
        }
        return ts;
    }

    private static long fragmentsOf(List<byte[]> datagrams, int exchange) {
        return datagrams.stream().map(ScriptedSession::decode)
                .filter(m -> m.header().exchangeType() == exchange && m.first(EncryptedFragmentPayload.class) != null).count();
    }

    @Test
    void ourLargeIkeAuthIsSplitIntoFragmentsThatFit() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.lan = manySelectors(); // the gateway accepts exactly our selectors
        s.settings(EngineSettings.DEFAULTS.withFragmentSize(576)).start(ScriptedSession.config().remoteTs(manySelectors()).build());
        s.last(ScriptedSession.ChildUp.class);
        long fragments = fragmentsOf(s.fromClient, ExchangeType.IKE_AUTH);
        assertTrue(fragments >= 2, "IKE_AUTH went in " + fragments + " fragments");
        assertEquals(fragments, s.gateway.fragmentsReceived);
        for (byte[] d : s.fromClient) {
            assertTrue(d.length <= 576 - 28, d.length + " octets exceed the fragment size less IP and UDP headers");
        }
    }

    @Test
    void withoutTheGatewaysSupportNothingIsFragmented() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.supportsFragmentation = false;
        s.gateway.lan = manySelectors();
        s.settings(EngineSettings.DEFAULTS.withFragmentSize(576)).start(ScriptedSession.config().remoteTs(manySelectors()).build());
        s.last(ScriptedSession.ChildUp.class);
        assertEquals(0, fragmentsOf(s.fromClient, ExchangeType.IKE_AUTH));
    }

    @Test
    void gatewayFragmentsAreReassembledEvenOutOfOrder() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.fragmentSize = 120; // the gateway's IKE_AUTH answer comes in several pieces
        s.hold = true;
        s.start(ScriptedSession.config().build());
        s.fromGateway(answer(s));  // IKE_SA_INIT answered; our IKE_AUTH is held next
        List<byte[]> answer = answer(s);
        assertTrue(answer.size() >= 3, answer.size() + " fragments");
        List<byte[]> reversed = new ArrayList<>(answer);
        java.util.Collections.reverse(reversed);
        s.hold = false;
        s.fromGateway(reversed.subList(0, reversed.size() - 1));
        assertTrue(s.events.isEmpty(), "not complete without every fragment");
        s.fromGateway(reversed.subList(reversed.size() - 1, reversed.size()));
        s.last(ScriptedSession.ChildUp.class);
    }

    /** The gateway's answers to the held datagrams, not yet delivered. */
    private static List<byte[]> answer(ScriptedSession s) {
        List<byte[]> out = new ArrayList<>();
        try {
            for (byte[] d : s.held) {
                out.addAll(s.gateway.handle(d));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        s.held.clear();
        return out;
    }

    @Test
    void aLostFragmentIsRecoveredByRetransmittingTheWholeMessage() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.fragmentSize = 120;
        s.loseGatewayDatagrams.add(2); // one fragment of the IKE_AUTH answer (datagram 0 answers IKE_SA_INIT)
        s.start(ScriptedSession.config().build());
        assertTrue(s.events.isEmpty());
        s.clock.advance(Duration.ofSeconds(4)); // we retransmit; the gateway answers again from its cache
        s.pump();
        s.last(ScriptedSession.ChildUp.class);
        IkeMessage first = ScriptedSession.decode(s.fromGatewayLog.get(1));
        assertEquals(ExchangeType.IKE_AUTH, first.header().exchangeType());
    }
}
