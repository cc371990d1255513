package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.ike.message.AuthPayload;
import org.mobilevpn.ike.message.IdPayload;

/**
 * What a hostile or broken gateway may put into its IKE_AUTH response: a malformed IDr or AUTH is
 * PEER_AUTH_FAILED (it did not prove who it is), never an internal error; text it chose reaches failure messages
 * and events only made printable; a virtual IP or DNS server that would capture or leak traffic is refused.
 */
class HostileGatewayTest {

    private static ScriptedSession.Failed failure(ScriptedSession s) {
        return s.last(ScriptedSession.Failed.class);
    }

    @Test
    void anIdrOfAnUnknownTypeIsPeerAuthFailed() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.rawIdr = new IdPayload(false, 4, new byte[] {(byte) 198, 51, 100, 0, (byte) 255, (byte) 255, (byte) 255, 0});
        s.start(ScriptedSession.config().build());
        assertEquals(FailureReason.PEER_AUTH_FAILED, failure(s).reason(), failure(s).message());
        assertTrue(failure(s).message().contains("ID type 4, which is not supported"), failure(s).message());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5}) // ID_IPV4_ADDR and ID_IPV6_ADDR with seven octets
    void anAddressIdrOfTheWrongLengthIsPeerAuthFailed(int idType) {
        ScriptedSession s = new ScriptedSession();
        s.gateway.rawIdr = new IdPayload(false, idType, new byte[7]);
        s.start(ScriptedSession.config().build());
        assertEquals(FailureReason.PEER_AUTH_FAILED, failure(s).reason(), failure(s).message());
    }

    @Test
    void anAuthPayloadWithoutDataIsPeerAuthFailed() {
        ScriptedSession s = new ScriptedSession();
        s.gateway.rawAuth = new AuthPayload(AuthPayload.SHARED_KEY_MIC, new byte[0]);
        s.start(ScriptedSession.config().build());
        assertEquals(FailureReason.PEER_AUTH_FAILED, failure(s).reason(), failure(s).message());
    }

    @Test
    void controlCharactersInTheGatewaysIdentityNeverReachAMessageOrEvent() {
        ScriptedSession s = new ScriptedSession();
        String forged = "gw.vpn.test\n2026-12-07 10:00:00 office CONNECTED ESTABLISHED \u001b[2J" + "x".repeat(5000);
        s.gateway.id = IkeIdentity.fqdn(forged);
        s.start(ScriptedSession.config().build());
        String message = failure(s).message();
        assertEquals(FailureReason.PEER_AUTH_FAILED, failure(s).reason(), message);
        assertFalse(message.contains("\n") || message.contains("\u001b"), message);
        assertTrue(message.contains("gw.vpn.test\\x0a2026-12-07"), message);
        assertTrue(message.contains("...(4809 more characters)"), "cut: " + message);
        assertTrue(message.length() < 600, message);

        // accepted (no remote_id): the identity in the IKE SA's event is printable as well
        ScriptedSession any = new ScriptedSession();
        any.gateway.id = IkeIdentity.fqdn(forged);
        any.start(ScriptedSession.config().remoteId(null).build());
        String shown = any.last(ScriptedSession.IkeUp.class).info().remoteId().toString();
        assertFalse(shown.contains("\n") || shown.contains("\u001b"), shown);
        assertTrue(shown.startsWith("gw.vpn.test\\x0a2026"), shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "240.0.0.1", "169.254.1.1",
        "198.51.100.2", "198.51.100.1"}) // the last two: our own address toward the gateway, and the gateway's
    void aVirtualIpThatWouldCaptureTrafficIsRefused(String vip) throws Exception {
        ScriptedSession s = new ScriptedSession();
        s.gateway.vip = InetAddress.getByName(vip);
        s.start(ScriptedSession.config().build());
        assertEquals(FailureReason.INTERNAL_ADDRESS_FAILURE, failure(s).reason(), failure(s).message());
        assertTrue(failure(s).message().startsWith("refused the virtual IP " + vip + " the gateway assigned: it is "),
                failure(s).message());
        assertTrue(s.events(ScriptedSession.ChildUp.class).isEmpty());
    }

    @Test
    void dnsServersThatWouldLeakOrRedirectQueriesAreLeftOutAndTheOthersKept() throws Exception {
        ScriptedSession s = new ScriptedSession();
        s.gateway.dns = InetAddress.getByName("127.0.0.53");
        s.gateway.moreDns = List.of(InetAddress.getByName("198.51.100.1"), InetAddress.getByName("ff02::1"),
                InetAddress.getByName("203.0.113.54"), InetAddress.getByName("fe80::1"));
        s.start(ScriptedSession.config().build());
        ChildSaInfo child = s.last(ScriptedSession.ChildUp.class).info();
        assertEquals(List.of(InetAddress.getByName("203.0.113.54")), child.dnsServers());
        assertEquals(List.of(TestResponder.address("198.18.0.1")), child.virtualIps());
    }

    @Test
    void splitDnsDomainsAreKeptOnceAndOnesThatCouldRewriteResolvConfAreLeftOut() throws Exception {
        ScriptedSession s = new ScriptedSession();
        s.gateway.dnsDomains = Stream.of("Corp.Example.", "corp.example", "lab.example\noptions ndots:15", "a b.example",
                "", ".", "-x.example", "caf\u00e9.example", "xn--caf-dma.example").map(d -> d.getBytes(StandardCharsets.UTF_8))
                .toList();
        s.start(ScriptedSession.config().build());
        ChildSaInfo child = s.last(ScriptedSession.ChildUp.class).info();
        assertEquals(List.of("corp.example", "xn--caf-dma.example"), child.dnsDomains());
    }
}
