package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeRequestInFlight;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeMessageCodec;

/**
 * A session handed over in the middle of an exchange of ours ({@link InFlightHandOver}, issue 11): the request
 * the old engine sent goes with the record, the new engine retransmits the same octets under the same message
 * ID on the old schedule, and the gateway's answer, to the first copy or to a retransmission, completes the
 * exchange at the new engine. The IKE SA stays: no DELETE, no new IKE_SA_INIT.
 */
class InFlightHandOverTest {

    @Test
    void aLivenessCheckInFlightIsAnsweredAtTheNextEngine() throws Exception {
        ScriptedSession s = HandOverTest.established();
        s.hold = true; // the gateway's answers are late
        s.session.checkLiveness();
        s.pump();
        assertEquals(1, s.held.size());
        int checks = s.events(ScriptedSession.LivenessChecked.class).size();

        IkeSaRecord record = HandOverTest.handOver(s);
        IkeRequestInFlight inFlight = record.inFlight();
        assertNotNull(inFlight, "the request in flight goes with the record: " + record);
        assertEquals(IkeRequestInFlight.Kind.LIVENESS, inFlight.kind());
        assertEquals(IkeSaRecord.VERSION_MID_EXCHANGE, record.version(), "an engine that knows no request in flight refuses it");
        assertEquals(inFlight.messageId(), record.nextRequestId());
        assertArrayEquals(s.held.get(0), inFlight.packets().get(0), "the request as sent");

        HandOverTest.resume(s, record);
        s.release(); // the gateway gets the old engine's request; its answer reaches the new engine
        assertEquals(checks + 1, s.events(ScriptedSession.LivenessChecked.class).size(), "answered: " + s.events);
        assertTrue(s.session.isActive());
        assertEquals(1, s.events(ScriptedSession.IkeUp.class).size(), "no new IKE SA");
        assertTrue(s.events(ScriptedSession.IkeDeleted.class).isEmpty() && s.events(ScriptedSession.Failed.class).isEmpty());

        s.session.checkLiveness(); // the next request takes the next message ID, and is answered
        s.pump();
        List<ScriptedTransport.Sent> sent = s.transport.sent();
        assertEquals(inFlight.messageId() + 1, IkeMessageCodec.decodeHeader(sent.get(sent.size() - 1).datagram()).messageId());
        assertEquals(checks + 2, s.events(ScriptedSession.LivenessChecked.class).size(), s.events.toString());
    }

    @Test
    void theNextEngineRetransmitsTheSameRequestOnTheOldSchedule() {
        ScriptedSession s = HandOverTest.established();
        s.hold = true;
        s.session.checkLiveness();
        s.pump();
        byte[] request = s.held.get(0);
        s.held.clear(); // lost on the way
        Duration firstWait = new RetransmissionSchedule(EngineSettings.DEFAULTS.retransmitTimeout(),
                EngineSettings.DEFAULTS.retransmitBase(), EngineSettings.DEFAULTS.retransmitTries()).waitAfter(0);
        s.clock.advance(firstWait.minusSeconds(1));
        s.pump();
        assertTrue(s.held.isEmpty(), "not yet retransmitted");

        HandOverTest.resume(s, HandOverTest.handOver(s));
        assertTrue(s.transport.sent().isEmpty(), "nothing before the old schedule says");
        s.clock.advance(Duration.ofMillis(1100));
        s.pump();
        assertEquals(1, s.held.size(), "retransmitted by the new engine when the old one would have");
        assertArrayEquals(request, s.held.get(0), "the same octets under the same message ID (RFC 7296 §2.1)");
        int checks = s.events(ScriptedSession.LivenessChecked.class).size();
        s.release();
        assertEquals(checks + 1, s.events(ScriptedSession.LivenessChecked.class).size(), s.events.toString());
        assertTrue(s.session.isActive());
    }

    @Test
    void ourChildSaRekeyInFlightCompletesAtTheNextEngine() {
        ScriptedSession s = HandOverTest.established();
        ChildSaInfo child = s.last(ScriptedSession.ChildUp.class).info();
        s.hold = true;
        s.session.rekeyChildSa(child.spiIn());
        s.pump();
        assertEquals(1, s.held.size());

        IkeSaRecord record = HandOverTest.handOver(s);
        IkeRequestInFlight inFlight = record.inFlight();
        assertEquals(IkeRequestInFlight.Kind.CHILD_REKEY, inFlight.kind());
        assertEquals(child.spiIn(), inFlight.rekeyedChildSpi());
        assertEquals(ExchangeType.CREATE_CHILD_SA, inFlight.exchangeType());

        HandOverTest.resume(s, record);
        s.release(); // the gateway answers the old engine's request at the new engine, which completes the rekey
        ScriptedSession.ChildRekeyed rekeyed = s.last(ScriptedSession.ChildRekeyed.class);
        assertEquals(child.spiIn(), rekeyed.replaced());
        assertEquals(inFlight.newChildSpi(), rekeyed.info().spiIn(), "the Child SA the handed-over request offered");
        TestResponder.Child atGateway = s.gateway.children.stream().filter(c -> c.spiOut == rekeyed.info().spiIn())
                .findFirst().orElseThrow();
        assertArrayEquals(atGateway.clientInboundKey(), HandshakeTest.concat(
                rekeyed.info().keys().in().encryptionKey().toByteArray(), rekeyed.info().keys().in().salt().toByteArray()),
                "the new engine derived the gateway's keys from the handed-over nonce");
        assertEquals(1, s.gateway.children.size(), "the old Child SA deleted after the rekey, as always");
        assertEquals(1, s.events(ScriptedSession.IkeUp.class).size(), "no new IKE SA");
        assertTrue(s.session.isActive() && s.events(ScriptedSession.Failed.class).isEmpty(), s.events.toString());
    }

    @Test
    void theGatewaysChildSaRekeyJustAnsweredIsAnsweredAgainAndCompletesAtTheNextEngine() {
        ScriptedSession s = HandOverTest.established();
        ChildSaInfo child = s.last(ScriptedSession.ChildUp.class).info();
        TestResponder.Child gwOld = s.gateway.children.get(0);
        s.hold = true; // our answer to the gateway's rekey is lost on the way
        List<byte[]> rekey = s.gateway.rekeyChild(gwOld, null);
        s.fromGateway(rekey);
        assertEquals(1, s.held.size());
        byte[] answer = s.held.remove(0);
        ChildSaInfo successor = s.last(ScriptedSession.ChildRekeyedByPeer.class).info();

        IkeSaRecord record = HandOverTest.handOver(s); // the gateway has not deleted the old Child SA yet
        assertEquals(null, record.inFlight(), "nothing of ours in flight");
        assertEquals(2, record.children().size(), "the old Child SA and its successor");
        assertEquals(null, record.children().stream().filter(c -> c.childSa().spiIn() == child.spiIn()).findFirst()
                .orElseThrow().rekeyAt(), "the next engine does not rekey what the gateway is about to delete");

        HandOverTest.resume(s, record);
        s.fromGateway(rekey); // the gateway asks again (RFC 7296 §2.1)
        assertEquals(1, s.held.size());
        assertArrayEquals(answer, s.held.get(0), "the same answer, from the record's last response");
        s.release();
        assertEquals(successor.spiIn(), s.gateway.lastRekeyed.spiOut, "the gateway's rekey completed with our answer");
        s.fromGateway(s.gateway.deleteChild(gwOld));
        assertEquals(new ScriptedSession.ChildDeleted(child.spiIn(), true), s.last(ScriptedSession.ChildDeleted.class));
        assertEquals(1, s.events(ScriptedSession.IkeUp.class).size(), "no new IKE SA");
        assertTrue(s.session.isActive() && s.events(ScriptedSession.Failed.class).isEmpty(), s.events.toString());
    }

    @Test
    void theGatewaysIkeSaRekeyJustAnsweredIsAnsweredAgainAndItsDeleteOfTheOldSaReachesTheNextEngine() {
        ScriptedSession s = HandOverTest.established();
        long oldSpiI = s.last(ScriptedSession.IkeUp.class).info().initiatorSpi();
        s.hold = true; // our answer to the gateway's IKE SA rekey is lost on the way
        List<byte[]> rekey = s.gateway.rekeyIke();
        s.fromGateway(rekey);
        assertEquals(1, s.held.size());
        byte[] answer = s.held.remove(0);
        long newSpiI = s.last(ScriptedSession.IkeRekeyed.class).info().initiatorSpi();

        IkeSaRecord record = HandOverTest.handOver(s); // the gateway has not deleted the old IKE SA yet
        assertEquals(newSpiI, record.ikeSa().initiatorSpi(), "the new IKE SA goes on");
        assertNotNull(record.replaced(), "with the old one until the gateway deletes it: " + record);
        assertEquals(oldSpiI, record.replaced().ikeSa().initiatorSpi());
        assertEquals(IkeSaRecord.VERSION_MID_EXCHANGE, record.version());
        assertEquals(1, record.children().size(), "the Child SA moved to the new IKE SA");
        assertTrue(record.replaced().children().isEmpty());

        HandOverTest.resume(s, record);
        assertTrue(record.replaced().ikeSa().keys().skD().isWiped(), "wiped once resumed");
        s.fromGateway(rekey); // the gateway asks again on the old IKE SA (RFC 7296 §2.1)
        assertEquals(1, s.held.size());
        assertArrayEquals(answer, s.held.get(0), "the same answer, from the replaced SA's last response");
        s.release();
        assertEquals(newSpiI, s.gateway.current.sa.spiI(), "the gateway's rekey completed with our answer");

        int sent = s.transport.sent().size();
        s.fromGateway(s.gateway.deleteIke(s.gateway.rekeyed)); // the gateway deletes the old IKE SA
        assertEquals(sent + 1, s.transport.sent().size(), "the DELETE answered on the old IKE SA");
        assertTrue(s.session.isActive() && s.events(ScriptedSession.IkeDeleted.class).isEmpty(), s.events.toString());
        int checks = s.events(ScriptedSession.LivenessChecked.class).size();
        s.session.checkLiveness(); // on the new IKE SA, answered
        s.pump();
        assertEquals(checks + 1, s.events(ScriptedSession.LivenessChecked.class).size(), s.events.toString());
        assertEquals(1, s.events(ScriptedSession.IkeUp.class).size(), "no new handshake");
    }
}
