package org.mobilevpn.ike.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.ike.it.EngineFixture.HANDSHAKE;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ipsec.KeyExchangeMethod;
import org.mobilevpn.ike.engine.EngineSettings;
import org.mobilevpn.ike.it.RecordingListener.ChildDeleted;
import org.mobilevpn.ike.it.RecordingListener.ChildUp;
import org.mobilevpn.ike.it.RecordingListener.Failed;
import org.mobilevpn.ike.it.RecordingListener.IkeDeleted;
import org.mobilevpn.ike.it.RecordingListener.IkeUp;
import org.mobilevpn.ike.it.RecordingListener.LivenessAnswered;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Our engine against a real strongSwan gateway with PSK authentication: IKE SA and Child SA up with a
 * virtual IP from the pool, SPIs as the gateway lists them, every derived key equal to the one charon
 * logged; INVALID_KE retry, wrong PSK, deletes both ways, liveness checks, and a real NAT.
 */
@SystemTest(tag = "ikepsk", requires = {"charon", "swanctl"})
class IkePskIT {
    private static final String PSK = "ike-it-psk";

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({
        "aes256gcm16-prfsha384-x25519, aes256gcm16",
        "aes128gcm16-prfsha256-ecp256, aes128gcm16",
        "aes256-sha256-modp2048, aes256-sha256",
        "chacha20poly1305-prfsha512-ecp384, chacha20poly1305",
        // ESN: the gateway's kernel-libipsec has none ("ESN not supported"), so it is covered by unit tests only
        "aes128-sha384-modp3072, aes128-sha512"
    })
    void establishesWithTheGatewaysKeysAndDeletes(String ikeProposal, String espProposal, SystemTestContext ctx)
            throws Exception {
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK)
                .configure("rw", c -> c.ikeProposals(ikeProposal).espProposals(espProposal)).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        IkeSession session = engine.start(EngineFixture.pskConfig(PSK).ikeProposals(List.of(ikeProposal))
                .espProposals(List.of(espProposal)).build(), events);

        IkeSaInfo ike = events.next(IkeUp.class, HANDSHAKE).info();
        ChildSaInfo child = events.next(ChildUp.class, HANDSHAKE).info();

        IkeSa sa = single(gw.listSas());
        assertEquals("ESTABLISHED", sa.state());
        assertEquals(TestNetwork.CLIENT_IP, sa.remoteHost());
        assertEquals(4500, sa.remotePort(), "IKE moved to port 4500 (forced encapsulation)");
        assertTrue(sa.natRemote(), "the gateway believes us behind a NAT, as encap = yes asks");
        assertEquals(1, child.virtualIps().size());
        assertEquals(List.of(child.virtualIps().get(0).getHostAddress()), sa.remoteVips());
        assertTrue(child.virtualIps().get(0).getHostAddress().startsWith("198.18.0."), child.toString());
        assertEquals(List.of(InetAddress.getByName("203.0.113.53")), child.dnsServers());
        assertTrue(sa.child().encap(), "ESP in UDP");
        assertTrue(child.nat().udpEncapsulation());
        assertEquals(4500, child.remoteEndpoint().getPort());
        KeyAssertions.sameIkeSa(ike, sa, KeyAssertions.keyLog(gw));
        KeyAssertions.sameChildSa(child, sa.child(), KeyAssertions.keyLog(gw));

        session.close();
        assertEquals(false, events.next(IkeDeleted.class, HANDSHAKE).byPeer());
        assertEquals(List.of(), gw.listSas());
        assertFalse(session.isActive());
    }

    @Test
    void retriesWithTheGroupTheGatewayAsksFor(SystemTestContext ctx) {
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK)
                .configure("rw", c -> c.ikeProposals("aes256gcm16-prfsha384-x25519")).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        // Our KE payload is ECP-256 (first group), which the gateway does not take: INVALID_KE_PAYLOAD, then x25519.
        engine.start(EngineFixture.pskConfig(PSK).ikeProposals(List.of("aes256gcm16-prfsha384-ecp256-x25519")).build(), events);

        IkeSaInfo ike = events.next(IkeUp.class, HANDSHAKE).info();
        events.next(ChildUp.class, HANDSHAKE);
        assertEquals(KeyExchangeMethod.CURVE25519, ike.keyExchange());
        assertTrue(gw.log().contains("requesting CURVE_25519"), "the gateway sent INVALID_KE_PAYLOAD");
        KeyAssertions.sameIkeSa(ike, single(gw.listSas()), KeyAssertions.keyLog(gw));
    }

    /**
     * A real COOKIE (RFC 7296 §2.6): strongSwan demands one from an address with {@code cookie_threshold_ip}
     * (3) half-open IKE SAs. Three sessions over the same shared sockets stop after IKE_SA_INIT (their
     * IKE_AUTH is held back), so the fourth gets only a COOKIE and must send IKE_SA_INIT again with it.
     */
    @Test
    void cookieDemandedByTheGatewayIsEchoed(SystemTestContext ctx) throws Exception {
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        for (int i = 0; i < 3; i++) {
            HoldingTransport halfOpen = new HoldingTransport(engine.transport());
            halfOpen.hold();
            engine.engine.start(EngineFixture.pskConfig(PSK).build(), halfOpen, new RecordingListener());
            halfOpen.awaitHeld(1, HANDSHAKE);
            halfOpen.sendHeld(0); // IKE_SA_INIT only
            halfOpen.awaitHeld(1, HANDSHAKE); // its IKE_AUTH never leaves: half-open at the gateway
        }
        assertFalse(gw.log().contains("N(COOKIE)"), "no cookie yet");
        RecordingListener events = new RecordingListener();
        engine.start(EngineFixture.pskConfig(PSK).build(), events);

        IkeSaInfo ike = events.next(IkeUp.class, HANDSHAKE).info();
        events.next(ChildUp.class, HANDSHAKE);
        assertTrue(gw.log().contains("generating IKE_SA_INIT response 0 [ N(COOKIE) ]"), "the gateway demanded a cookie");
        assertTrue(gw.log().matches("(?s).*parsed IKE_SA_INIT request 0 \\[ N\\(COOKIE\\) SA KE No .*"),
                "our IKE_SA_INIT came again with the gateway's cookie first");
        IkeSa sa = gw.listSas().stream().filter(s -> s.state().equals("ESTABLISHED")).reduce((a, b) -> {
            throw new AssertionError("more than one established IKE SA");
        }).orElseThrow();
        KeyAssertions.sameIkeSa(ike, sa, KeyAssertions.keyLog(gw));
    }

    @Test
    void wrongPskIsAuthFailed(SystemTestContext ctx) {
        TestNetwork net = ctx.standardNetwork();
        ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        engine.start(EngineFixture.pskConfig("not-" + PSK).build(), events);

        Failed failed = events.next(Failed.class, HANDSHAKE);
        assertEquals(FailureReason.AUTH_FAILED, failed.reason(), failed.message());
    }

    @Test
    void deleteByTheGatewayIsReported(SystemTestContext ctx) {
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        IkeSession session = engine.start(EngineFixture.pskConfig(PSK).build(), events);
        ChildSaInfo child = events.next(ChildUp.class, HANDSHAKE).info();

        gw.terminateIke("rw");

        ChildDeleted childGone = events.next(ChildDeleted.class, HANDSHAKE);
        assertEquals(child.spiIn(), childGone.spiIn());
        assertTrue(childGone.byPeer());
        assertTrue(events.next(IkeDeleted.class, HANDSHAKE).byPeer());
        assertFalse(session.isActive());
    }

    @Test
    void deadGatewayIsPeerGoneAfterLivenessChecks(SystemTestContext ctx) {
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        // dpd_delay 2 s; then 3 transmissions 0.5 s apart: the bound is about 2 * 2 s + 1.5 s.
        engine.settings(EngineSettings.DEFAULTS.withRetransmission(Duration.ofMillis(500), 1.0, 2));
        engine.start(EngineFixture.pskConfig(PSK).dpdDelay(Duration.ofSeconds(2)).build(), events);
        events.next(ChildUp.class, HANDSHAKE);

        // The gateway dies without a word: SIGKILL to the charon we started (SIGTERM would send a DELETE).
        ProcessHandle.of(gw.pid()).ifPresent(ProcessHandle::destroyForcibly);

        Failed failed = events.next(Failed.class, Duration.ofSeconds(15));
        assertEquals(FailureReason.PEER_GONE, failed.reason(), failed.message());
    }

    @Test
    void livenessCheckIsAnsweredAndKeepsTheSession(SystemTestContext ctx) {
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        engine.settings(EngineSettings.DEFAULTS.withRetransmission(Duration.ofMillis(500), 1.0, 2));
        IkeSession session = engine.start(EngineFixture.pskConfig(PSK).build(), events);
        events.next(ChildUp.class, HANDSHAKE);

        session.checkLiveness();
        gw.awaitLog("parsed INFORMATIONAL request 2 \\[ \\]", HANDSHAKE);
        gw.awaitLog("generating INFORMATIONAL response 2 \\[ \\]", HANDSHAKE);
        events.next(LivenessAnswered.class, HANDSHAKE);
        assertTrue(session.isActive());
        assertEquals("ESTABLISHED", single(gw.listSas()).state());
    }

    @Test
    void realNatIsDetectedAndIkeFloatsToPort4500(SystemTestContext ctx) {
        TestNetwork net = ctx.natNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(PSK).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        engine.start(EngineFixture.pskConfig(PSK).encap(false).build(), events);

        IkeSaInfo ike = events.next(IkeUp.class, HANDSHAKE).info();
        ChildSaInfo child = events.next(ChildUp.class, HANDSHAKE).info();
        assertTrue(ike.nat().localBehindNat(), "our NAT_DETECTION_DESTINATION_IP did not match: " + ike.nat());
        assertFalse(ike.nat().forced());
        assertEquals(4500, ike.remoteEndpoint().getPort());
        IkeSa sa = single(gw.listSas());
        assertTrue(sa.natRemote(), "the gateway sees us behind the NAT");
        assertEquals(TestNetwork.CLIENT_IP, sa.remoteHost(), "the NAT's outside address");
        KeyAssertions.sameIkeSa(ike, sa, KeyAssertions.keyLog(gw));
        KeyAssertions.sameChildSa(child, sa.child(), KeyAssertions.keyLog(gw));
    }

    static IkeSa single(List<IkeSa> sas) {
        assertEquals(1, sas.size(), sas.toString());
        return sas.get(0);
    }
}
