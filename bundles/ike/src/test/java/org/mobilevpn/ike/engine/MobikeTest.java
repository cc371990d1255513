package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.ExchangeType;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;

/**
 * MOBIKE (RFC 4555) against the scripted gateway: agreeing in IKE_AUTH, our address update with NAT detection and
 * COOKIE2, a gateway without MOBIKE, and the gateway's own MOBIKE requests answered as responder.
 */
class MobikeTest {
    private static final InetAddress CELLULAR = TestResponder.address("100.64.0.2");
    private static final InetAddress GATEWAY = TestResponder.GATEWAY.getAddress();
    private static final InetAddress GATEWAY6 = TestResponder.address("2001:db8:100::1");

    private static ScriptedSession established(boolean gatewayMobike) {
        ScriptedSession s = new ScriptedSession();
        s.gateway.mobike = gatewayMobike;
        s.gateway.additionalAddresses = List.of(GATEWAY6);
        return s.start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(5)).build());
    }

    private static IkeMessage clientRequest(ScriptedSession s, int exchangeType) {
        return s.gateway.requestsSeen.stream().filter(m -> m.header().exchangeType() == exchangeType).findFirst()
                .orElseThrow();
    }

    @Test
    void ikeAuthOffersMobikeAndLearnsTheGatewaysOtherAddresses() {
        ScriptedSession s = established(true);
        IkeMessage auth = clientRequest(s, ExchangeType.IKE_AUTH);
        assertNotNull(auth.notify(NotifyType.MOBIKE_SUPPORTED));
        assertNotNull(auth.notify(NotifyType.NO_ADDITIONAL_ADDRESSES), "our own addresses are not announced");
        assertEquals(new ScriptedSession.GatewayAddresses(List.of(GATEWAY6)),
                s.last(ScriptedSession.GatewayAddresses.class));
        assertTrue(s.transport.isOnNatTraversalPort(), "IKE_AUTH already on 4500: a NAT may appear after a move");
    }

    @Test
    void aMoveSendsUpdateSaAddressesFromTheNewAddressAndKeepsEverySa() {
        ScriptedSession s = established(true);
        long spiI = s.gateway.current.sa.spiI;
        int childIn = s.last(ScriptedSession.ChildUp.class).info().spiIn();
        s.gateway.clientSeenAs = new InetSocketAddress("198.51.100.130", 61000); // a CGNAT rewrites the new path
        s.session.moveTo(CELLULAR, GATEWAY);
        s.pump();

        assertEquals(1, s.gateway.addressUpdates.size());
        IkeMessage update = s.gateway.addressUpdates.get(0);
        assertEquals(ExchangeType.INFORMATIONAL, update.header().exchangeType());
        NotifyPayload cookie2 = update.notify(NotifyType.COOKIE2);
        assertTrue(cookie2 != null && cookie2.data().length >= 8 && cookie2.data().length <= 64, "RFC 4555 §3.8");
        assertArrayEquals(NatDetectionTask.hash(spiI, s.gateway.current.sa.spiR, new InetSocketAddress(CELLULAR, 4500)),
                update.notify(NotifyType.NAT_DETECTION_SOURCE_IP).data(), "hashed over the new address and both SPIs");
        ScriptedSession.Moved moved = s.last(ScriptedSession.Moved.class);
        assertEquals(new InetSocketAddress(CELLULAR, 4500), moved.local());
        assertEquals(new InetSocketAddress(GATEWAY, 4500), moved.remote());
        assertTrue(moved.nat().localBehindNat(), "the gateway saw another address: a NAT in front of us");
        assertEquals(spiI, s.gateway.current.sa.spiI, "the same IKE SA");
        assertEquals(1, s.gateway.sas.size(), "no new IKE_SA_INIT");
        assertTrue(s.events(ScriptedSession.ChildDeleted.class).isEmpty() && s.events(ScriptedSession.ChildRekeyed.class)
                .isEmpty(), "the Child SA " + Integer.toHexString(childIn) + " moves with it");
        assertTrue(s.session.isActive());
    }

    @Test
    void aMoveToTheGatewaysIpv6AddressUsesItsNatTraversalPort() {
        ScriptedSession s = established(true);
        s.session.moveTo(TestResponder.address("2001:db8:64::2"), GATEWAY6);
        s.pump();
        assertEquals(new InetSocketAddress(GATEWAY6, 4500), s.transport.remoteEndpoint());
        assertEquals(new InetSocketAddress(GATEWAY6, 4500), s.last(ScriptedSession.Moved.class).remote());
    }

    @Test
    void withoutMobikeAtTheGatewayAMoveIsImpossibleAndNothingIsSent() {
        ScriptedSession s = established(false);
        assertNotNull(clientRequest(s, ExchangeType.IKE_AUTH).notify(NotifyType.MOBIKE_SUPPORTED));
        int sent = s.transport.sent().size();
        s.session.moveTo(CELLULAR, GATEWAY);
        s.pump();
        assertTrue(s.last(ScriptedSession.MoveImpossible.class).reason().contains("did not agree to MOBIKE"));
        assertEquals(sent, s.transport.sent().size());
        assertTrue(s.session.isActive(), "the session itself goes on");
    }

    @Test
    void mobikeSwitchedOffIsNeitherOfferedNorUsed() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.mobike = true;
        s.start(ScriptedSession.config().mobike(false).encap(true).build());
        assertNull(clientRequest(s, ExchangeType.IKE_AUTH).notify(NotifyType.MOBIKE_SUPPORTED));
        s.session.moveTo(CELLULAR, GATEWAY);
        s.pump();
        assertEquals("mobike = no", s.last(ScriptedSession.MoveImpossible.class).reason());
    }

    @Test
    void anAnswerWithoutOurCookie2FailsTheSession() {
        ScriptedSession s = established(true);
        s.gateway.returnCookie2 = false;
        s.session.moveTo(CELLULAR, GATEWAY);
        s.pump();
        ScriptedSession.Failed f = s.last(ScriptedSession.Failed.class);
        assertEquals(FailureReason.PEER_AUTH_FAILED, f.reason());
        assertTrue(f.message().contains("COOKIE2"), f.message());
        assertTrue(s.events(ScriptedSession.Moved.class).isEmpty());
    }

    @Test
    void anUnansweredUpdateFailsTheSessionWithinDpdDelay() {
        ScriptedSession s = established(true);
        s.dropFromClient = Integer.MAX_VALUE;
        s.session.moveTo(CELLULAR, GATEWAY);
        s.pump();
        s.clock.advance(Duration.ofSeconds(4));
        assertTrue(s.session.isActive(), "retransmitting");
        s.clock.advance(Duration.ofSeconds(2));
        assertEquals(FailureReason.PEER_GONE, s.last(ScriptedSession.Failed.class).reason());
    }

    @Test
    void aRequestInFlightGoesOutAgainAtOnceAndTheUpdateFollowsWithTheLatestAddresses() {
        ScriptedSession s = established(true);
        s.hold = true;
        s.session.checkLiveness();
        s.pump();
        assertEquals(1, s.held.size(), "the liveness check is in flight");
        s.session.moveTo(TestResponder.address("198.51.100.70"), GATEWAY);
        s.session.moveTo(CELLULAR, GATEWAY); // a second move before the first update went out
        s.pump();
        assertEquals(3, s.held.size(), "the check again, at once, for each move; no update while it is in flight");
        s.release();
        assertEquals(1, s.gateway.addressUpdates.size(), "one update, for the latest addresses");
        assertArrayEquals(NatDetectionTask.hash(s.gateway.current.sa.spiI, s.gateway.current.sa.spiR,
                new InetSocketAddress(CELLULAR, 4500)),
                s.gateway.addressUpdates.get(0).notify(NotifyType.NAT_DETECTION_SOURCE_IP).data());
        assertEquals(1, s.events(ScriptedSession.Moved.class).size());
    }

    @Test
    void theGatewaysCookie2IsReturnedAndItsAddressListReplacesTheOldOne() {
        ScriptedSession s = established(true);
        byte[] cookie = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        s.fromGateway(s.gateway.request(ExchangeType.INFORMATIONAL, List.of(NotifyPayload.of(NotifyType.COOKIE2, cookie),
                NotifyPayload.of(NotifyType.NO_ADDITIONAL_ADDRESSES))));
        IkeMessage answer = s.gateway.answers.get(s.gateway.answers.size() - 1);
        assertArrayEquals(cookie, answer.notify(NotifyType.COOKIE2).data());
        assertEquals(new ScriptedSession.GatewayAddresses(List.of()), s.last(ScriptedSession.GatewayAddresses.class));
    }

    @Test
    void theGatewaysOwnAddressUpdateMovesUsToWhereItCameFrom() {
        ScriptedSession s = established(true);
        InetSocketAddress moved = new InetSocketAddress(GATEWAY6, 4500);
        List<byte[]> update = s.gateway.request(ExchangeType.INFORMATIONAL, List.of(
                NotifyPayload.of(NotifyType.UPDATE_SA_ADDRESSES),
                NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, NatDetectionTask.hash(s.gateway.current.sa.spiI,
                        s.gateway.current.sa.spiR, moved)),
                NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, NatDetectionTask.hash(s.gateway.current.sa.spiI,
                        s.gateway.current.sa.spiR, s.transport.localEndpoint()))));
        for (byte[] d : update) {
            s.transport.deliverFrom(moved, d);
        }
        s.pump();
        assertEquals(moved, s.transport.remoteEndpoint());
        ScriptedSession.Moved m = s.last(ScriptedSession.Moved.class);
        assertEquals(moved, m.remote());
        assertFalse(m.nat().localBehindNat() || m.nat().remoteBehindNat(), m.nat().toString());
        IkeMessage answer = s.gateway.answers.get(s.gateway.answers.size() - 1);
        assertNotNull(answer.notify(NotifyType.NAT_DETECTION_SOURCE_IP), "answered with our NAT detection");
    }

    @Test
    void aForgedUpdateFromAnotherAddressMovesNothing() {
        ScriptedSession s = established(true);
        InetSocketAddress before = s.transport.remoteEndpoint();
        List<byte[]> update = s.gateway.request(ExchangeType.INFORMATIONAL,
                List.of(NotifyPayload.of(NotifyType.UPDATE_SA_ADDRESSES)));
        byte[] forged = update.get(0).clone();
        forged[forged.length - 1] ^= 1; // fails the integrity check
        s.transport.deliverFrom(new InetSocketAddress("203.0.113.66", 4500), forged);
        s.pump();
        assertEquals(before, s.transport.remoteEndpoint());
        assertTrue(s.events(ScriptedSession.Moved.class).isEmpty());
    }

    private static ScriptedSession behindNat() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.mobike = true;
        s.gateway.clientBehindNat = true;
        s.gateway.clientSeenAs = new InetSocketAddress("198.51.100.130", 4500); // the NAT's outside address
        return s.start(ScriptedSession.config().dpdDelay(Duration.ofSeconds(5)).build());
    }

    private static List<IkeMessage> livenessChecks(ScriptedSession s) {
        return s.gateway.requestsSeen.stream().filter(m -> m.header().exchangeType() == ExchangeType.INFORMATIONAL
                && m.notify(NotifyType.UPDATE_SA_ADDRESSES) == null).toList();
    }

    @Test
    void behindANatTheLivenessCheckCarriesNatDetectionAndANewMappingMovesTheSasToIt() {
        ScriptedSession s = behindNat();
        assertTrue(s.session.isActive());
        s.clock.advance(Duration.ofSeconds(5)); // silent for dpd_delay
        s.pump();
        IkeMessage check = livenessChecks(s).get(0);
        assertNotNull(check.notify(NotifyType.NAT_DETECTION_SOURCE_IP), "the check looks at the NAT mapping");
        assertEquals(1, s.gateway.addressUpdates.size(), "no mapping agreed yet on this IKE SA: the update makes sure");
        assertTrue(s.events(ScriptedSession.Moved.class).isEmpty(), "not reported as a move");
        assertEquals(1, s.events(ScriptedSession.LivenessChecked.class).size());

        s.clock.advance(Duration.ofSeconds(5));
        s.pump();
        assertEquals(2, livenessChecks(s).size());
        assertEquals(1, s.gateway.addressUpdates.size(), "the same mapping: no update");

        s.gateway.clientSeenAs = new InetSocketAddress("198.51.100.130", 61000); // the NAT forgot the mapping
        s.clock.advance(Duration.ofSeconds(5));
        s.pump();
        assertEquals(3, livenessChecks(s).size());
        assertEquals(2, s.gateway.addressUpdates.size(), "the gateway sees another mapping: the SAs move to it");
        assertEquals(1, s.events(ScriptedSession.Moved.class).size());
        assertEquals(1, s.gateway.sas.size(), "the same IKE SA");
        assertTrue(s.session.isActive());
    }

    @Test
    void withoutANatInFrontOfUsTheLivenessCheckIsEmpty() {
        ScriptedSession s = established(true);
        s.clock.advance(Duration.ofSeconds(5));
        s.pump();
        IkeMessage check = livenessChecks(s).get(0);
        assertNull(check.notify(NotifyType.NAT_DETECTION_SOURCE_IP));
        assertTrue(s.gateway.addressUpdates.isEmpty());
    }
}
