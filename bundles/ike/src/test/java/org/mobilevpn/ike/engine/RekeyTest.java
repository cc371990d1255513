package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.ike.message.DeletePayload;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.KePayload;
import org.mobilevpn.ike.message.NoncePayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.ProtocolId;
import org.mobilevpn.ike.message.SaPayload;
import org.mobilevpn.ike.proposal.ProposalParser;

/** CREATE_CHILD_SA rekeying (RFC 7296 §1.3.2, §1.3.3, §2.8, §2.8.1, §2.18) both ways, timers and collisions. */
class RekeyTest {

    private static ScriptedSession established(String esp) {
        ScriptedSession s = new ScriptedSession();
        s.gateway.espProposals = ProposalParser.parseEsp(List.of(esp));
        return s.start(ScriptedSession.config().espProposals(List.of(esp)).build());
    }

    private static byte[] keyAndSalt(org.mobilevpn.api.ipsec.SecretBytes key, org.mobilevpn.api.ipsec.SecretBytes salt) {
        return HandshakeTest.concat(key.toByteArray(), salt.toByteArray());
    }

    @Test
    void ourChildRekeyWithPfsReplacesAndDeletesTheOldSa() {
        ScriptedSession s = established("aes256gcm16-x25519");
        ChildSaInfo old = s.last(ScriptedSession.ChildUp.class).info();
        s.session.rekeyChildSa(old.spiIn());
        s.pump();

        IkeMessage request = s.gateway.requestsSeen.get(s.gateway.requestsSeen.size() - 2);
        assertEquals(ExchangeType.CREATE_CHILD_SA, request.header().exchangeType());
        assertEquals(NotifyType.REKEY_SA, request.notify(NotifyType.REKEY_SA).notifyType());
        assertEquals(31, request.first(KePayload.class).group(), "PFS from the ESP proposal");
        ScriptedSession.ChildRekeyed rekeyed = s.last(ScriptedSession.ChildRekeyed.class);
        assertEquals(old.spiIn(), rekeyed.replaced());
        assertEquals(new ScriptedSession.ChildDeleted(old.spiIn(), false), s.last(ScriptedSession.ChildDeleted.class));
        assertEquals(1, s.gateway.children.size(), "the gateway has only the new SA");
        TestResponder.Child gw = s.gateway.children.get(0);
        assertEquals(gw.spiIn, rekeyed.info().spiOut());
        assertArrayEquals(gw.clientOutboundKey(), keyAndSalt(rekeyed.info().keys().out().encryptionKey(), rekeyed.info().keys().out().salt()));
        assertArrayEquals(gw.clientInboundKey(), keyAndSalt(rekeyed.info().keys().in().encryptionKey(), rekeyed.info().keys().in().salt()));
    }

    @Test
    void gatewayChildRekeyIsAnsweredAndTheGatewayDeletesTheOldSa() {
        ScriptedSession s = established("aes128gcm16-ecp256");
        ChildSaInfo old = s.last(ScriptedSession.ChildUp.class).info();
        TestResponder.Child gwOld = s.gateway.children.get(0);
        s.fromGateway(s.gateway.rekeyChild(gwOld, KeyExchangeMethod.ECP_256));

        ScriptedSession.ChildRekeyedByPeer rekeyed = s.last(ScriptedSession.ChildRekeyedByPeer.class);
        assertEquals(old.spiIn(), rekeyed.replaced());
        assertTrue(s.events(ScriptedSession.ChildRekeyed.class).isEmpty(), "the gateway's rekey: not to send with yet");
        TestResponder.Child gwNew = s.gateway.lastRekeyed;
        // The gateway started this exchange: its "initiator" keys are what it sends, i.e. what we receive.
        assertArrayEquals(gwNew.clientInboundKey(), keyAndSalt(rekeyed.info().keys().in().encryptionKey(), rekeyed.info().keys().in().salt()));
        assertArrayEquals(gwNew.clientOutboundKey(), keyAndSalt(rekeyed.info().keys().out().encryptionKey(), rekeyed.info().keys().out().salt()));
        assertEquals(gwNew.spiIn, rekeyed.info().spiOut());

        s.fromGateway(s.gateway.deleteChild(gwOld));
        assertEquals(new ScriptedSession.ChildDeleted(old.spiIn(), true), s.last(ScriptedSession.ChildDeleted.class));
        assertTrue(s.session.isActive());
    }

    @Test
    void gatewayRekeyWithAnotherGroupGetsInvalidKe() {
        ScriptedSession s = established("aes128gcm16-ecp256");
        s.gateway.espProposals = ProposalParser.parseEsp(List.of("aes128gcm16-x25519-ecp256"));
        s.fromGateway(s.gateway.rekeyChild(s.gateway.children.get(0), KeyExchangeMethod.CURVE25519));
        IkeMessage answer = s.gateway.answers.get(s.gateway.answers.size() - 1);
        assertEquals(NotifyType.INVALID_KE_PAYLOAD, answer.firstError().notifyType());
        assertArrayEquals(new byte[] {0, 19}, answer.firstError().data(), "asks for our ECP-256");
        assertTrue(s.events(ScriptedSession.ChildRekeyed.class).isEmpty());
    }

    @Test
    void ourIkeRekeyMovesEverythingToTheNewSaAndDeletesTheOld() {
        ScriptedSession s = established("aes256gcm16");
        IkeSaInfo first = s.last(ScriptedSession.IkeUp.class).info();
        IkeSa oldGw = s.gateway.current.sa;
        s.session.rekeyIkeSa();
        s.pump();

        IkeSaInfo next = s.last(ScriptedSession.IkeRekeyed.class).info();
        IkeSa gw = s.gateway.current.sa;
        assertNotEquals(first.initiatorSpi(), next.initiatorSpi());
        assertEquals(gw.spiI, next.initiatorSpi());
        assertEquals(gw.spiR, next.responderSpi());
        assertArrayEquals(gw.secrets().skD(), next.keys().skD().toByteArray());
        assertArrayEquals(gw.secrets().skEi(), next.keys().skEi().toByteArray());
        assertTrue(s.gateway.rekeyed.deleted, "old IKE SA deleted");
        assertFalse(Arrays.equals(oldGw.secrets().skD(), gw.secrets().skD()));
        // Exchanges continue on the new SA with message IDs from 0, and the Child SA moved over.
        int childSpi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        s.session.rekeyChildSa(childSpi);
        s.pump();
        assertEquals(0, s.gateway.requestsSeen.get(s.gateway.requestsSeen.size() - 2).header().messageId());
        assertEquals(childSpi, s.last(ScriptedSession.ChildRekeyed.class).replaced());
        assertLivenessAnsweredOnTheNewSa(s);
    }

    /**
     * A liveness check on the current IKE SA is answered, routed back to the session by our SPI of the new SA as
     * the runtime's shared sockets route it (the answers of a rekeyed IKE SA once went nowhere).
     */
    private static void assertLivenessAnsweredOnTheNewSa(ScriptedSession s) {
        int answered = s.events(ScriptedSession.LivenessChecked.class).size();
        s.session.checkLiveness();
        s.pump();
        assertEquals(answered + 1, s.events(ScriptedSession.LivenessChecked.class).size(), s.events.toString());
        assertEquals(0, s.transport.unrouted, "every datagram of the gateway reached the session");
        assertTrue(s.session.isActive());
    }

    @Test
    void gatewayIkeRekeyMakesItTheInitiatorOfTheNewSa() {
        ScriptedSession s = established("aes256gcm16");
        s.fromGateway(s.gateway.rekeyIke());
        IkeSaInfo next = s.last(ScriptedSession.IkeRekeyed.class).info();
        IkeSa gw = s.gateway.current.sa;
        assertTrue(gw.initiator);
        assertEquals(gw.spiI, next.initiatorSpi(), "the gateway's SPI is SPIi now");
        assertArrayEquals(gw.secrets().skEr(), next.keys().skEr().toByteArray());

        // The gateway deletes the old IKE SA; the session goes on with the new one.
        TestResponder.PeerSa newSa = s.gateway.current;
        s.gateway.current = s.gateway.rekeyed;
        s.fromGateway(s.gateway.deleteIke());
        s.gateway.current = newSa;
        assertTrue(s.session.isActive());
        assertTrue(s.events(ScriptedSession.IkeDeleted.class).isEmpty());
        s.session.checkLiveness();
        s.pump();
        IkeMessage check = s.gateway.requestsSeen.get(s.gateway.requestsSeen.size() - 1);
        assertEquals(gw.spiI, check.header().initiatorSpi());
        assertFalse(check.header().isInitiator(), "we are the responder of the new IKE SA");
        assertLivenessAnsweredOnTheNewSa(s);
        // the old IKE SA is gone: a message on it (as a replay would be) is no longer routed to the session
        int unrouted = s.transport.unrouted;
        s.transport.deliver(s.fromGatewayLog.get(0));
        assertEquals(unrouted + 1, s.transport.unrouted);
    }

    @Test
    void rekeyTimersFireAtTheConfiguredTimes() {
        ScriptedSession s = new ScriptedSession().settings(EngineSettings.DEFAULTS.withRekeyJitter(0))
                .start(ScriptedSession.config().childRekeyTime(Duration.ofSeconds(60)).ikeRekeyTime(Duration.ofSeconds(100))
                        .build());
        s.clock.advance(Duration.ofMillis(59_999));
        assertTrue(s.events(ScriptedSession.ChildRekeyed.class).isEmpty());
        s.clock.advance(Duration.ofMillis(1));
        s.pump();
        assertEquals(1, s.events(ScriptedSession.ChildRekeyed.class).size());
        s.clock.advance(Duration.ofSeconds(40));
        s.pump();
        assertEquals(1, s.events(ScriptedSession.IkeRekeyed.class).size());
        s.clock.advance(Duration.ofSeconds(20));
        s.pump();
        assertEquals(2, s.events(ScriptedSession.ChildRekeyed.class).size(), "the replacement rekeys 60 s after it came");
        assertEquals(1, s.gateway.children.size());
    }

    /**
     * Found by RuntimeRekeySoakIT: our Child SA rekey completes while our IKE SA rekey waits behind it, so our
     * DELETE of the replaced Child SA is queued on the old IKE SA behind the IKE SA rekey. When that completes the
     * Child SAs move to the new IKE SA; the DELETE must go out there, not be dropped as obsolete (the gateway
     * would keep the replaced Child SA until its lifetime).
     */
    @Test
    void aChildDeleteQueuedBehindAnIkeRekeyIsSentOnTheNewIkeSa() {
        ScriptedSession s = new ScriptedSession().settings(EngineSettings.DEFAULTS.withRekeyJitter(0))
                .start(ScriptedSession.config().build());
        int oldSpi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        s.session.rekeyChildSa(oldSpi);
        s.session.rekeyIkeSa(); // queued behind the Child SA rekey, ahead of the DELETE that rekey will queue
        s.pump();
        assertEquals(1, s.events(ScriptedSession.IkeRekeyed.class).size());
        int newSpi = s.last(ScriptedSession.ChildRekeyed.class).info().spiIn();
        assertEquals(List.of(new ScriptedSession.ChildDeleted(oldSpi, false)), s.events(ScriptedSession.ChildDeleted.class));
        assertEquals(1, s.gateway.children.size(), "the gateway still holds the replaced Child SA");
        assertEquals(newSpi, s.gateway.children.get(0).spiOut);
        IkeMessage delete = s.gateway.requestsSeen.stream().filter(m -> m.first(DeletePayload.class) != null
                && m.first(DeletePayload.class).protocolId() == ProtocolId.ESP).findFirst().orElseThrow();
        assertEquals(s.last(ScriptedSession.IkeRekeyed.class).info().initiatorSpi(), delete.header().initiatorSpi(),
                "sent on the new IKE SA");
    }

    /**
     * The gateway's IKE SA rekey arrives while our DELETE of a replaced Child SA is out. Taken, the Child SAs moved to
     * the new IKE SA and the DELETE's answer, back on the old one, removed nothing: the Child SA stayed in the
     * session, its keys never wiped, never reported deleted. RFC 7296 §2.25.2: a peer closing a Child SA answers an
     * IKE SA rekey with TEMPORARY_FAILURE; the gateway tries again later and that one succeeds.
     */
    @Test
    void aGatewayIkeRekeyWhileOurChildDeleteIsOutIsRefusedForNow() {
        ScriptedSession s = new ScriptedSession().settings(EngineSettings.DEFAULTS.withRekeyJitter(0))
                .start(ScriptedSession.config().build());
        int oldSpi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        s.hold = true;
        s.session.rekeyChildSa(oldSpi);
        s.pump();
        s.passHeld(); // the Child SA rekey completes; our DELETE of the old Child SA is held
        s.fromGateway(s.gateway.rekeyIke());
        s.release(); // our DELETE, then our answer to the gateway's rekey
        IkeMessage answer = s.gateway.answers.stream().filter(m -> m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA)
                .reduce((a, b) -> b).orElseThrow();
        assertNotNull(answer.firstError(), "the IKE SA rekey was taken while our DELETE was out");
        assertEquals(NotifyType.TEMPORARY_FAILURE, answer.firstError().notifyType(), "RFC 7296 §2.25.2");
        assertTrue(s.events(ScriptedSession.IkeRekeyed.class).isEmpty());
        assertEquals(List.of(new ScriptedSession.ChildDeleted(oldSpi, false)), s.events(ScriptedSession.ChildDeleted.class));
        assertEquals(1, s.gateway.children.size());

        s.fromGateway(s.gateway.rekeyIke()); // the gateway's retry
        assertEquals(1, s.events(ScriptedSession.IkeRekeyed.class).size());
        assertTrue(s.session.isActive());
    }

    /**
     * The soak's case (RuntimeSoakIT: rekey_time = child_rekey_time = 30 s): a Child SA rekey that falls due
     * while our IKE SA rekey is under way must still happen on the new IKE SA. Lost with the old IKE SA's queue,
     * the Child SA reached its lifetime (rekey time + 10 %), was deleted, and with it the tunnel's only Child SA.
     */
    @Test
    void childRekeysDueDuringIkeRekeysAreNotLost() {
        for (int run = 0; run < 4; run++) { // once with both timers firing together, then with jitter drawing others
            ScriptedSession s = new ScriptedSession().settings(EngineSettings.DEFAULTS.withRekeyJitter(run == 0 ? 0 : 0.1))
                    .start(ScriptedSession.config().childRekeyTime(Duration.ofSeconds(30)).ikeRekeyTime(Duration.ofSeconds(30))
                            .build());
            for (int second = 0; second < 600; second++) {
                s.clock.advance(Duration.ofSeconds(1));
                s.pump();
                assertEquals(1, s.gateway.children.size(), "at " + second + " s: " + s.events);
            }
            assertTrue(s.events(ScriptedSession.ChildDeleted.class).stream().noneMatch(d -> !d.byPeer()
                    && s.events(ScriptedSession.ChildRekeyed.class).stream().noneMatch(r -> r.replaced() == d.spiIn())),
                    "a Child SA deleted without a replacement: " + s.events);
            assertTrue(s.events(ScriptedSession.ChildRekeyed.class).size() >= 18, s.events.toString());
            assertTrue(s.session.isActive());
        }
    }

    @Test
    void aChildSaThatCannotBeRekeyedIsDeletedAtItsLifetime() {
        ScriptedSession s = new ScriptedSession().settings(EngineSettings.DEFAULTS.withRekeyJitter(0))
                .start(ScriptedSession.config().childRekeyTime(Duration.ofSeconds(60)).childLifetime(Duration.ofSeconds(90))
                        .build());
        int spi = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        s.gateway.espProposals = ProposalParser.parseEsp(List.of("aes128-sha256")); // rekeys will be refused
        s.clock.advance(Duration.ofSeconds(60));
        s.pump();
        assertTrue(s.events(ScriptedSession.ChildRekeyed.class).isEmpty());
        assertTrue(s.events(ScriptedSession.ChildDeleted.class).isEmpty(), "still usable until its lifetime");
        s.clock.advance(Duration.ofSeconds(30));
        s.pump();
        assertEquals(new ScriptedSession.ChildDeleted(spi, false), s.last(ScriptedSession.ChildDeleted.class));
        assertTrue(s.gateway.children.isEmpty());
        assertTrue(s.session.isActive());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void simultaneousChildRekeysLeaveTheSaOfTheLowestNonceToBeDeleted(boolean oursGetsTheLowestNonce) {
        ScriptedSession s = established("aes256gcm16");
        ChildSaInfo old = s.last(ScriptedSession.ChildUp.class).info();
        TestResponder.Child gwOld = s.gateway.children.get(0);
        if (oursGetsTheLowestNonce) {
            s.random.nextNonce(new byte[32]); // our Ni
        } else {
            s.gateway.nextNonce = new byte[32]; // the gateway's Ni
        }
        s.hold = true;
        s.session.rekeyChildSa(old.spiIn());   // our request is on its way...
        s.pump();
        s.hold = false;
        s.fromGateway(s.gateway.rekeyChild(gwOld, null)); // ...while the gateway rekeys the same SA
        TestResponder.Child theirs = s.gateway.lastRekeyed;
        byte[] theirNi = s.gateway.lastRequestNonce;
        byte[] theirNr = s.gateway.answers.get(s.gateway.answers.size() - 1).first(NoncePayload.class).nonce();
        ScriptedSession.ChildRekeyedByPeer theirsReported = s.last(ScriptedSession.ChildRekeyedByPeer.class);
        assertEquals(old.spiIn(), theirsReported.replaced(), "the gateway's SA, to receive with before our answer leaves");
        s.hold = true;
        s.release();                           // now our request arrives and is answered
        IkeMessage ourRequest = s.gateway.requestsSeen.stream()
                .filter(m -> m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA).reduce((a, b) -> b).orElseThrow();
        byte[] ourNi = ourRequest.first(NoncePayload.class).nonce();
        byte[] ourNr = s.gateway.lastAnswerNonce;
        int ourSpiIn = ByteBuffer.wrap(ourRequest.first(SaPayload.class).proposals().get(0).spi()).getInt();

        boolean oursRedundant = RekeyCollision.lowestNonceIsOurs(new byte[][] {ourNi, ourNr}, new byte[][] {theirNi, theirNr});
        // Recompute the RFC rule independently: the minimum of all four nonces.
        byte[] min = List.of(ourNi, ourNr, theirNi, theirNr).stream().min(Arrays::compareUnsigned).orElseThrow();
        assertEquals(min == ourNi || min == ourNr, oursRedundant);
        assertEquals(oursGetsTheLowestNonce, oursRedundant);
        List<Integer> weDeleted = s.gateway.requestsSeen.stream()
                .filter(m -> m.header().exchangeType() == ExchangeType.INFORMATIONAL)
                .flatMap(m -> m.all(DeletePayload.class).stream()).flatMap(d -> d.spis().stream()).toList();
        List<ScriptedSession.ChildRekeyed> ours = s.events(ScriptedSession.ChildRekeyed.class);
        if (oursRedundant) {
            assertEquals(List.of(ourSpiIn), weDeleted, "we delete the SA we created");
            assertEquals(List.of(), ours, "our redundant SA is never handed over: it carries no traffic (RFC 7296 §2.8.1)");
            assertTrue(s.events(ScriptedSession.ChildDeleted.class).isEmpty(), "nor its deletion");
        } else {
            assertEquals(List.of(old.spiIn()), weDeleted, "ours survives; we delete the old SA");
            assertEquals(1, ours.size());
            assertEquals(ourSpiIn, ours.get(0).info().spiIn(), "ours, to send with at once");
            assertEquals(old.spiIn(), ours.get(0).replaced());
        }
        assertTrue(s.gateway.children.contains(theirs));
    }
}
