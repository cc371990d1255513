package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.ChildSaRecord;
import org.mobilevpn.api.ike.IkeSaRecord;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.testsupport.TestLogger;

/**
 * A session handed from one engine to the next as an {@link IkeSaRecord} (an ike bundle update, DESIGN.md
 * "state is data"): nothing goes to the gateway on the way; the next session goes on with the same IKE SA,
 * message IDs and Child SA keys, answers the gateway, checks liveness, and rekeys on the old timers.
 */
class HandOverTest {
    private static final Duration CHILD_REKEY = Duration.ofSeconds(600);

    static ScriptedSession established() {
        return established(new ScriptedSession());
    }

    private static ScriptedSession established(ScriptedSession s) {
        return s.settings(EngineSettings.DEFAULTS.withRekeyJitter(0))
                .start(ScriptedSession.config().childRekeyTime(CHILD_REKEY).ikeRekeyTime(Duration.ofSeconds(3600)).build());
    }

    /** Hands {@code s}'s session over and returns the record; the old session and transport are done. */
    static IkeSaRecord handOver(ScriptedSession s) {
        int sentBefore = s.transport.sent().size();
        s.session.handOver(System.nanoTime() + Duration.ofSeconds(2).toNanos());
        s.pump();
        assertEquals(sentBefore, s.transport.sent().size(), "nothing goes to the gateway");
        assertFalse(s.session.isActive());
        assertTrue(s.transport.closed, "the old engine lets go of its transport");
        assertTrue(s.events(ScriptedSession.IkeDeleted.class).isEmpty() && s.events(ScriptedSession.Failed.class).isEmpty(),
                s.events.toString());
        return s.last(ScriptedSession.HandedOver.class).record();
    }

    /** A new engine's session, resumed from {@code record} over a new transport; the record is wiped after. */
    static void resume(ScriptedSession s, IkeSaRecord record) {
        s.transport = new ScriptedTransport(s.clock);
        s.session = new IkeSessionImpl(ScriptedSession.config().childRekeyTime(CHILD_REKEY)
                .ikeRekeyTime(Duration.ofSeconds(3600)).build(), EngineSettings.DEFAULTS.withRekeyJitter(0), s.transport,
                s, s.clock, s.random, new TestLogger());
        s.session.resume(record);
        record.close();
        s.pump();
    }

    @Test
    void theNextEngineGoesOnWithTheSameSasMessageIdsAndKeys() throws Exception {
        ScriptedSession s = established();
        ChildSaInfo child = s.last(ScriptedSession.ChildUp.class).info();
        long spiI = s.last(ScriptedSession.IkeUp.class).info().initiatorSpi();
        s.session.checkLiveness(); // our message ID moves on to 3
        s.pump();
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of())); // and the gateway's to 1

        IkeSaRecord record = handOver(s);
        assertEquals(IkeSaRecord.VERSION, record.version());
        assertEquals(spiI, record.ikeSa().initiatorSpi());
        assertEquals(3, record.nextRequestId());
        assertEquals(1, record.expectedPeerRequestId());
        assertEquals(1, record.children().size());
        ChildSaRecord c = record.children().get(0);
        assertEquals(child.spiIn(), c.childSa().spiIn());
        assertTrue(c.childSa().keys().out().encryptionKey().contentEquals(child.keys().out().encryptionKey().toByteArray()));
        assertTrue(c.rekeyAt() != null && c.expiresAt().isAfter(c.rekeyAt()));

        resume(s, record);
        assertTrue(record.ikeSa().keys().skD().isWiped() && c.childSa().keys().in().isClosed(),
                "the record's keys are wiped once resumed");
        assertTrue(s.transport.sent().isEmpty(), "no IKE_SA_INIT, nothing at all until there is something to say");

        // the gateway's next request (message ID 1) is answered on the same IKE SA
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of()));
        assertEquals(1, s.transport.sent().size(), "answered");
        // our next request carries message ID 3 and is answered
        s.session.checkLiveness();
        s.pump();
        IkeHeader dpd = IkeMessageCodec.decodeHeader(s.transport.sent().get(1).datagram());
        assertEquals(spiI, dpd.initiatorSpi());
        assertEquals(3, dpd.messageId());
        assertEquals(2, s.events(ScriptedSession.LivenessChecked.class).size(), "the gateway answered it: " + s.events);

        // handed over once more: the restored Child SA's keys come out by direction as they first went in
        IkeSaRecord again = handOver(s);
        ChildSaInfo restored = again.children().get(0).childSa();
        assertTrue(restored.keys().in().encryptionKey().contentEquals(child.keys().in().encryptionKey().toByteArray())
                && restored.keys().out().salt().contentEquals(child.keys().out().salt().toByteArray()),
                "keys by direction survive restore and export");
        assertEquals(4, again.nextRequestId());
        resume(s, again);

        // the gateway rekeys the Child SA (and deletes the old one): derived from the SK_d the record carried
        TestResponder.Child gwOld = s.gateway.children.get(0);
        s.fromGateway(s.gateway.rekeyChild(gwOld, null));
        s.fromGateway(s.gateway.deleteChild(gwOld));
        ChildSaInfo rekeyed = s.last(ScriptedSession.ChildRekeyedByPeer.class).info();
        assertEquals(child.spiIn(), s.last(ScriptedSession.ChildRekeyedByPeer.class).replaced());
        assertArrayEquals(s.gateway.lastRekeyed.clientInboundKey(),
                HandshakeTest.concat(rekeyed.keys().in().encryptionKey().toByteArray(), rekeyed.keys().in().salt().toByteArray()),
                "derived from the SK_d the record carried");
        assertEquals(1, s.events(ScriptedSession.IkeUp.class).size(), "no new IKE SA");
        assertTrue(s.session.isActive());

    }

    @Test
    void splitDnsDomainsGoOnWithTheSessionIntoItsNextChildSas() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.dnsDomains = List.of("corp.example".getBytes(StandardCharsets.US_ASCII));
        established(s);
        resume(s, handOver(s));
        TestResponder.Child gwOld = s.gateway.children.get(0);
        s.fromGateway(s.gateway.rekeyChild(gwOld, null));
        assertEquals(List.of("corp.example"), s.last(ScriptedSession.ChildRekeyedByPeer.class).info().dnsDomains());
    }

    @Test
    void theRekeyTimerKeepsItsDeadlineAcrossTheHandOver() {
        ScriptedSession s = established();
        s.clock.advance(CHILD_REKEY.minusSeconds(100));
        s.pump();
        resume(s, handOver(s));
        s.clock.advance(Duration.ofSeconds(99));
        s.pump();
        assertTrue(s.events(ScriptedSession.ChildRekeyed.class).isEmpty(), "not yet: 100 s were left");
        s.clock.advance(Duration.ofSeconds(2));
        s.pump();
        assertEquals(1, s.events(ScriptedSession.ChildRekeyed.class).size(), "rekeyed at the old deadline: " + s.events);
        s.session.rekeyIkeSa();
        s.pump();
        assertEquals(1, s.events(ScriptedSession.IkeRekeyed.class).size(), "and the IKE SA rekeys: " + s.events);
    }

    @Test
    void aRecordOfAnUnknownVersionIsRefusedClearlyAndNothingStarts() {
        ScriptedSession s = established();
        IkeSaRecord r = handOver(s);
        IkeSaRecord future = new IkeSaRecord(IkeSaRecord.VERSION_MID_EXCHANGE + 1, r.ikeSa(), r.weInitiated(), r.nextRequestId(),
                r.expectedPeerRequestId(), r.lastResponse(), r.ivCounter(), r.onNatTraversalPort(),
                r.peerSupportsFragmentation(), r.peerSignatureHashes(), r.virtualIps(), r.dnsServers(), r.ikeRekeyAt(),
                r.lastHeardAt(), r.children());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resume(s, future));
        assertTrue(e.getMessage().contains("version " + (IkeSaRecord.VERSION_MID_EXCHANGE + 1)), e.getMessage());
        assertTrue(s.transport.sent().isEmpty());
        r.close();
    }

    @Test
    void aSessionInTheMiddleOfAnExchangeItCannotHandOverIsDeletedAsBeforeWhenTheGraceRunsOut() {
        ScriptedSession s = established();
        s.hold = true;
        s.session.rekeyIkeSa(); // in flight, unanswered: a rekey of the IKE SA does not go in flight (InFlightHandOverTest)
        s.pump();
        s.session.handOver(System.nanoTime() - 1);
        s.release();
        assertTrue(s.events(ScriptedSession.HandedOver.class).isEmpty());
        assertEquals(List.of(new ScriptedSession.IkeDeleted(false)), s.events(ScriptedSession.IkeDeleted.class));
        assertTrue(s.gateway.requestsSeen.stream().anyMatch(m -> m.first(org.mobilevpn.ike.message.DeletePayload.class) != null),
                "the gateway got our DELETE");
    }

    @Test
    void aListenerThatCannotTakeTheSessionGetsTheDeleteAsBefore() {
        ScriptedSession unable = new ScriptedSession();
        unable.canTakeOver = false;
        ScriptedSession s = established(unable);
        s.session.handOver(System.nanoTime() + Duration.ofSeconds(2).toNanos());
        s.pump();
        assertTrue(s.events(ScriptedSession.HandedOver.class).isEmpty(), s.events.toString());
        assertEquals(1, s.events(ScriptedSession.IkeDeleted.class).size());
    }
}
