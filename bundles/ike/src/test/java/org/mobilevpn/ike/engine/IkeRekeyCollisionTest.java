package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;

/**
 * Simultaneous IKE SA rekeying (RFC 7296 §2.8.1, §2.8.2, §2.25.2) against the scripted gateway: the two
 * CREATE_CHILD_SA requests cross, in every order of arrival, with the lowest nonce in each of the four
 * places, with the gateway's DELETE before and after ours, and with lost datagrams. The scripted gateway
 * only does what each test tells it; which SA is redundant is recomputed here from the four nonces.
 */
class IkeRekeyCollisionTest {
    private static final byte[] LOWEST = new byte[32];

    /** Where the lowest of the four nonces is: the first two belong to the SA we create, the others to the gateway's. */
    enum Lowest { OUR_NI, GATEWAY_NR, GATEWAY_NI, OUR_NR }

    private static ScriptedSession established() {
        return new ScriptedSession().start(ScriptedSession.config().build());
    }

    /**
     * Our rekey request is sent but held in the network; the gateway's rekey request arrives and is answered,
     * and our answer is held behind our request. Nothing has reached the gateway yet.
     */
    private static ScriptedSession crossingRequests(Lowest lowest) {
        ScriptedSession s = established();
        s.hold = true;
        if (lowest == Lowest.OUR_NI) {
            s.random.nextNonce(LOWEST);
        }
        s.session.rekeyIkeSa();
        s.pump();
        if (lowest == Lowest.GATEWAY_NI) {
            s.gateway.nextNonce = LOWEST;
        }
        List<byte[]> theirRequest = s.gateway.rekeyIke();
        if (lowest == Lowest.OUR_NR) {
            s.random.nextNonce(LOWEST);
        }
        s.fromGateway(theirRequest);
        if (lowest == Lowest.GATEWAY_NR) {
            s.gateway.nextNonce = LOWEST;
        }
        assertEquals(2, s.held.size(), "our request, then our answer to the gateway's");
        assertTrue(s.events(ScriptedSession.IkeRekeyed.class).isEmpty(), "nothing switches before ours completes");
        return s;
    }

    /** RFC 7296 §2.8.1, recomputed: the SA created with the lowest of the four nonces is redundant. */
    private static boolean createdWithTheLowestNonce(TestResponder.PeerSa candidate, TestResponder.PeerSa other) {
        byte[] min = Stream.of(candidate.sa.nonceI, candidate.sa.nonceR, other.sa.nonceI, other.sa.nonceR)
                .min(Arrays::compareUnsigned).orElseThrow();
        return min == candidate.sa.nonceI || min == candidate.sa.nonceR;
    }

    /** Initiator SPIs of the IKE SAs we sent Delete(IKE) for, in order. */
    private static List<Long> ikeDeletesWeSent(ScriptedSession s) {
        return s.gateway.requestsSeen.stream().filter(m -> m.header().exchangeType() == ExchangeType.INFORMATIONAL)
                .filter(m -> m.all(DeletePayload.class).stream().anyMatch(d -> d.protocolId() == ProtocolId.IKE))
                .map(m -> m.header().initiatorSpi()).toList();
    }

    private static long ikeRekeyRequestsWeSent(ScriptedSession s) {
        return s.gateway.requestsSeen.stream().filter(m -> m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA)
                .filter(m -> m.notify(NotifyType.REKEY_SA) == null).count();
    }

    /**
     * The session runs on {@code survivor} alone: reported once as the rekeyed IKE SA with the gateway's SPIs
     * and keys, and the Child SA moved to it (its rekey runs on that SA, message IDs from 0).
     */
    private static void runsOn(ScriptedSession s, TestResponder.PeerSa survivor) {
        assertTrue(s.session.isActive(), s.events.toString());
        assertTrue(s.events(ScriptedSession.Failed.class).isEmpty(), s.events.toString());
        assertTrue(s.events(ScriptedSession.IkeDeleted.class).isEmpty(), s.events.toString());
        assertTrue(s.events(ScriptedSession.ChildDeleted.class).isEmpty(), "the Child SA is untouched");
        assertEquals(1, s.events(ScriptedSession.IkeRekeyed.class).size(), s.events.toString());
        IkeSaInfo info = s.last(ScriptedSession.IkeRekeyed.class).info();
        assertEquals(survivor.sa.spiI, info.initiatorSpi());
        assertEquals(survivor.sa.spiR, info.responderSpi());
        assertArrayEquals(survivor.sa.secrets().skD(), info.keys().skD().toByteArray());

        int childSpi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        int seen = s.gateway.requestsSeen.size();
        s.session.rekeyChildSa(childSpi);
        s.pump();
        IkeMessage childRekey = s.gateway.requestsSeen.get(seen);
        assertEquals(ExchangeType.CREATE_CHILD_SA, childRekey.header().exchangeType());
        assertEquals(survivor.sa.spiI, childRekey.header().initiatorSpi(), "the Child SA moved to the survivor");
        assertEquals(survivor.sa.spiR, childRekey.header().responderSpi());
        assertEquals(childSpi, s.last(ScriptedSession.ChildRekeyed.class).replaced());
    }

    @ParameterizedTest
    @EnumSource(Lowest.class)
    void bothSidesNoticeAndTheSaWithTheLowestNonceGoes(Lowest lowest) {
        ScriptedSession s = crossingRequests(lowest);
        TestResponder.PeerSa old = s.gateway.current;
        s.release(); // our request reaches the gateway first (it sees the collision), then our answer

        TestResponder.PeerSa ours = s.gateway.createdByClient;
        TestResponder.PeerSa theirs = s.gateway.createdByGateway;
        assertNotNull(ours);
        assertNotNull(theirs);
        boolean oursRedundant = createdWithTheLowestNonce(ours, theirs);
        assertEquals(lowest == Lowest.OUR_NI || lowest == Lowest.GATEWAY_NR, oursRedundant, "the script placed the nonce");
        // Each side deletes what it created: we our redundant SA, or the old one when ours survives...
        assertEquals(List.of(oursRedundant ? ours.sa.spiI : old.sa.spiI), ikeDeletesWeSent(s));
        // ...and the gateway the other (its DELETE after ours).
        s.fromGateway(s.gateway.deleteIke(oursRedundant ? old : theirs));
        runsOn(s, oursRedundant ? theirs : ours);

        // Nothing is left for the fallback to delete.
        s.clock.advance(IkeRekeyCollision.FALLBACK_DELETE.plusSeconds(1));
        s.pump();
        assertEquals(1, ikeDeletesWeSent(s).size());
    }

    @Test
    void gatewayDeletesItsRedundantSaBeforeOurAnswerArrives() {
        ScriptedSession s = crossingRequests(Lowest.GATEWAY_NI);
        TestResponder.PeerSa old = s.gateway.current;
        s.loseGatewayDatagrams.add(s.fromGatewayLog.size()); // the answer to our request is lost
        s.hold = true;
        s.passHeld();
        s.hold = false;
        TestResponder.PeerSa theirs = s.gateway.createdByGateway;
        assertTrue(createdWithTheLowestNonce(theirs, s.gateway.createdByClient));
        s.fromGateway(s.gateway.deleteIke(theirs)); // the gateway deletes its redundant SA: answered
        assertTrue(s.events(ScriptedSession.IkeRekeyed.class).isEmpty());
        s.clock.advance(Duration.ofSeconds(4)); // our request again: the gateway answers from its cache
        s.pump();
        assertEquals(List.of(old.sa.spiI), ikeDeletesWeSent(s), "an ordinary rekey now: we delete the old SA");
        runsOn(s, s.gateway.createdByClient);
    }

    @Test
    void gatewayDeletesTheOldSaBeforeOurAnswerArrives() {
        ScriptedSession s = crossingRequests(Lowest.OUR_NI);
        TestResponder.PeerSa old = s.gateway.current;
        s.loseGatewayDatagrams.add(s.fromGatewayLog.size());
        s.hold = true;
        s.passHeld();
        TestResponder.PeerSa theirs = s.gateway.createdByGateway;
        s.hold = false;
        s.fromGateway(s.gateway.deleteIke(old));
        // We cannot tell whether the gateway noticed the collision: we forget our rekey and take theirs. The SA
        // the gateway made for us stays with it (we never learned its keys) until its own timeout removes it.
        runsOn(s, theirs);
        s.clock.advance(Duration.ofSeconds(60));
        s.pump();
        assertEquals(List.of(), ikeDeletesWeSent(s));
        assertEquals(1, ikeRekeyRequestsWeSent(s), "our request was not sent again");
    }

    /** The gateway got our answer before our request: it finished its rekey without seeing ours (§2.8.2). */
    private static ScriptedSession onlyWeNotice() {
        ScriptedSession s = established();
        s.hold = true;
        s.session.rekeyIkeSa();
        s.pump();
        s.fromGateway(s.gateway.rekeyIke());
        byte[] ourAnswer = s.held.remove(1);
        try {
            assertEquals(List.of(), s.gateway.handle(ourAnswer));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertNotNull(s.gateway.createdByGateway);
        s.gateway.ikeRekeyError = NotifyType.TEMPORARY_FAILURE; // it is closing the old SA (§2.25.2)
        return s;
    }

    @Test
    void gatewayThatDidNotNoticeDeletesTheOldSaBeforeRefusingOurs() {
        ScriptedSession s = onlyWeNotice();
        TestResponder.PeerSa old = s.gateway.rekeyed;
        s.fromGateway(s.gateway.deleteIke(old)); // its DELETE overtakes its refusal
        s.release();                              // our request: TEMPORARY_FAILURE, for an SA we dropped already
        runsOn(s, s.gateway.createdByGateway);
        s.clock.advance(Duration.ofSeconds(60));
        s.pump();
        assertEquals(List.of(), ikeDeletesWeSent(s));
        assertEquals(1, ikeRekeyRequestsWeSent(s), "no retry of our rekey");
    }

    @Test
    void gatewayThatDidNotNoticeRefusesOursBeforeDeletingTheOldSa() {
        ScriptedSession s = onlyWeNotice();
        TestResponder.PeerSa old = s.gateway.rekeyed;
        s.release();                              // TEMPORARY_FAILURE first: theirs takes over
        assertEquals(1, s.events(ScriptedSession.IkeRekeyed.class).size());
        s.fromGateway(s.gateway.deleteIke(old));  // then the gateway deletes the old SA
        runsOn(s, s.gateway.createdByGateway);
        s.clock.advance(Duration.ofSeconds(60));
        s.pump();
        assertEquals(List.of(), ikeDeletesWeSent(s), "the gateway deleted the old SA itself");
        assertEquals(1, ikeRekeyRequestsWeSent(s), "no retry of our rekey");
    }

    @Test
    void oldSaTheGatewayNeverDeletesIsDeletedByUsAfterTheFallbackTime() {
        ScriptedSession s = onlyWeNotice();
        TestResponder.PeerSa old = s.gateway.rekeyed;
        s.release();
        s.clock.advance(IkeRekeyCollision.FALLBACK_DELETE.minusSeconds(1));
        s.pump();
        assertEquals(List.of(), ikeDeletesWeSent(s));
        s.clock.advance(Duration.ofSeconds(1)); // its DELETE was lost for good
        s.pump();
        assertEquals(List.of(old.sa.spiI), ikeDeletesWeSent(s));
        runsOn(s, s.gateway.createdByGateway);
    }

    @Test
    void gatewayRekeyArrivingAfterOursCompletedIsRefused() {
        ScriptedSession s = established();
        TestResponder.PeerSa old = s.gateway.current;
        List<byte[]> theirRequest = s.gateway.rekeyIke(); // sent, still in the network
        s.hold = true;
        s.session.rekeyIkeSa();
        s.pump();
        s.passHeld();                                     // ours is answered; our DELETE of the old SA is held
        assertEquals(1, s.events(ScriptedSession.IkeRekeyed.class).size());
        s.fromGateway(theirRequest);                      // theirs arrives on the SA we are closing
        s.release();
        IkeMessage refusal = s.gateway.answers.stream().filter(m -> m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(NotifyType.TEMPORARY_FAILURE, refusal.firstError().notifyType(), "RFC 7296 §2.25.2");
        assertEquals(null, refusal.first(SaPayload.class));
        assertEquals(List.of(old.sa.spiI), ikeDeletesWeSent(s));
        runsOn(s, s.gateway.createdByClient);
    }

    @Test
    void retransmittedGatewayRequestDuringTheCollisionIsAnsweredFromTheCache() {
        ScriptedSession s = established();
        s.hold = true;
        s.session.rekeyIkeSa();
        s.pump();
        s.gateway.nextNonce = LOWEST; // the gateway's SA will be the redundant one
        List<byte[]> theirRequest = s.gateway.rekeyIke();
        s.fromGateway(theirRequest);
        byte[] firstAnswer = s.held.remove(1); // our answer is lost
        s.fromGateway(theirRequest);           // the gateway retransmits its request
        assertEquals(2, s.held.size());
        assertArrayEquals(firstAnswer, s.held.get(1), "the same answer again, not a second new SA");
        TestResponder.PeerSa old = s.gateway.current;
        s.release();
        TestResponder.PeerSa theirs = s.gateway.createdByGateway;
        assertEquals(List.of(old.sa.spiI), ikeDeletesWeSent(s));
        s.fromGateway(s.gateway.deleteIke(theirs));
        runsOn(s, s.gateway.createdByClient);
        assertEquals(3, s.gateway.sas.size(), "the first IKE SA, ours and theirs, no other: " + s.gateway.sas);
    }

    @Test
    void gatewayRekeyWhileWeCloseIsRefused() {
        ScriptedSession s = established();
        s.hold = true;
        s.session.close();
        s.pump();                           // our DELETE is on its way...
        s.fromGateway(s.gateway.rekeyIke()); // ...when the gateway's rekey arrives
        s.release();
        IkeMessage refusal = s.gateway.answers.stream().filter(m -> m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(NotifyType.TEMPORARY_FAILURE, refusal.firstError().notifyType(), "RFC 7296 §2.25.2");
        assertTrue(s.events(ScriptedSession.IkeRekeyed.class).isEmpty());
        assertEquals(new ScriptedSession.IkeDeleted(false), s.last(ScriptedSession.IkeDeleted.class));
        assertTrue(!s.session.isActive());
    }

    @Test
    void ourRekeyCompletingWhileWeCloseIsDeletedToo() {
        ScriptedSession s = established();
        TestResponder.PeerSa old = s.gateway.current;
        s.hold = true;
        s.session.rekeyIkeSa();
        s.pump();                  // our rekey is in flight when the session is closed
        s.session.close();
        s.pump();
        s.release();
        TestResponder.PeerSa ours = s.gateway.createdByClient;
        assertNotNull(ours);
        assertEquals(List.of(ours.sa.spiI, old.sa.spiI), ikeDeletesWeSent(s), "the new SA and the old one");
        assertTrue(s.events(ScriptedSession.IkeRekeyed.class).isEmpty());
        assertEquals(new ScriptedSession.IkeDeleted(false), s.last(ScriptedSession.IkeDeleted.class));
        assertTrue(!s.session.isActive());
    }

    @Test
    void gatewayDeletingTheSaWeAreRekeyingEndsTheSession() {
        ScriptedSession s = established();
        int childSpi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        s.hold = true;
        s.session.rekeyIkeSa();
        s.pump();                            // our rekey is in flight...
        s.hold = false;
        s.fromGateway(s.gateway.deleteIke()); // ...when the gateway deletes the SA: answered, our rekey forgotten
        assertTrue(s.gateway.answers.get(s.gateway.answers.size() - 1).payloads().isEmpty(), "answered as usual");
        assertEquals(List.of(new ScriptedSession.ChildDeleted(childSpi, true), new ScriptedSession.IkeDeleted(true)),
                s.events.subList(s.events.size() - 2, s.events.size()));
        assertTrue(s.events(ScriptedSession.IkeRekeyed.class).isEmpty());
        assertTrue(s.events(ScriptedSession.Failed.class).isEmpty());
        assertTrue(!s.session.isActive());
    }
}
