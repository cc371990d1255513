package org.mobilevpn.ike.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.ike.it.EngineFixture.HANDSHAKE;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.ike.engine.EngineSettings;
import org.mobilevpn.ike.it.RecordingListener.ChildUp;
import org.mobilevpn.ike.it.RecordingListener.Failed;
import org.mobilevpn.ike.it.RecordingListener.IkeUp;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TcpdumpCapture;
import org.mobilevpn.testsupport.TestNetwork;
import org.mobilevpn.testsupport.TestPki;
import org.mobilevpn.testsupport.Tshark;

/**
 * Certificate authentication both ways against strongSwan (RFC 7296 §2.15, RFC 7427 signatures, CERT and
 * CERTREQ), ECDSA P-256 and RSA 3072, with IKE fragmentation (RFC 7383) of messages that exceed the
 * fragment size in either direction, and rejection of a gateway whose certificate our CA did not issue.
 */
@SystemTest(tag = "ikecert", requires = {"charon", "swanctl", "pki", "openssl", "tcpdump", "tshark"})
class IkeCertificateIT {

    private static IkeSessionConfig.Builder certConfig(TestPki pki, TestPki.Credential client, TestPki trusted) {
        String algorithm = client.type().pkiType().equals("rsa") ? "RSA" : "EC";
        return EngineFixture.pskConfig("unused").pubkey(List.of(PemFiles.certificate(client.certificate())),
                PemFiles.pkcs8(pki.pkcs8(client), algorithm))
                .caCertificates(List.of(PemFiles.certificate(trusted.caCertificate())));
    }

    @ParameterizedTest
    @EnumSource(value = TestPki.KeyType.class, names = {"ECDSA_P256", "RSA_3072"}) // RSA 4096: the chain test below
    void certificatesAuthenticateBothWays(TestPki.KeyType type, SystemTestContext ctx) {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), type);
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, pki.gateway()).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        engine.start(certConfig(pki, pki.client(), pki).build(), events);

        IkeSaInfo ike = events.next(IkeUp.class, HANDSHAKE).info();
        ChildSaInfo child = events.next(ChildUp.class, HANDSHAKE).info();
        String scheme = type == TestPki.KeyType.RSA_3072 ? "RSA" : "ECDSA";
        assertTrue(gw.log().matches("(?s).*authentication of 'client@vpn.test' with " + scheme + "[^\\n]* successful.*"),
                "the gateway verified our " + scheme + " signature");
        IkeSa sa = IkePskIT.single(gw.listSas());
        assertEquals(StrongSwanGateway.CLIENT_ID, sa.remoteId());
        KeyAssertions.sameIkeSa(ike, sa, KeyAssertions.keyLog(gw));
        KeyAssertions.sameChildSa(child, sa.child(), KeyAssertions.keyLog(gw));
        if (type == TestPki.KeyType.RSA_3072) {
            // Certificate and signature make both IKE_AUTH messages larger than 1280 octets: fragmented both ways.
            assertTrue(gw.log().contains("reassembled fragmented IKE message"), "our IKE_AUTH arrived in fragments");
            assertTrue(gw.log().matches("(?s).*splitting IKE message \\(\\d+ bytes\\) into \\d+ fragments.*"),
                    "the gateway fragmented its answer, which we reassembled");
        }
    }

    /**
     * RSA 4096 with an intermediate CA on each side (root -> gateway CA -> gateway, root -> client CA -> client):
     * each side trusts only the root and holds only its own intermediate, so each must build the other's path
     * through the intermediate that arrives in a CERT payload. End entity, intermediate and a 512-octet
     * signature make both IKE_AUTH messages several times the fragment size (RFC 7383).
     */
    @Test
    void rsa4096ChainsThroughIntermediatesInFragmentsBothWays(SystemTestContext ctx) {
        TestPki root = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.RSA_4096);
        TestPki gatewayCa = root.intermediate("gateway CA");
        TestPki clientCa = root.intermediate("client CA");
        TestPki.Credential gateway = gatewayCa.gateway();
        TestPki.Credential client = clientCa.client();
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
                SwanctlConf.gatewayCert(gatewayCa, gateway).ca(root.rootCertificate()).build()));
        TcpdumpCapture capture = ctx.register(TcpdumpCapture.start(net.client(), net.clientIfname(), "ike", "udp"));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        engine.start(EngineFixture.pskConfig("unused").pubkey(List.of(PemFiles.certificate(client.certificate()),
                PemFiles.certificate(clientCa.caCertificate())), PemFiles.pkcs8(clientCa.pkcs8(client), "RSA"))
                .caCertificates(List.of(PemFiles.certificate(root.rootCertificate()))).build(), events);

        IkeSaInfo ike = events.next(IkeUp.class, HANDSHAKE).info(); // we built gateway -> gateway CA -> root
        ChildSaInfo child = events.next(ChildUp.class, HANDSHAKE).info();
        String log = gw.log();
        assertTrue(log.contains("received issuer cert \"C=CH, O=mobilevpn test, CN=mobilevpn test client CA\""), "our intermediate arrived");
        assertTrue(log.contains("using untrusted intermediate certificate \"C=CH, O=mobilevpn test, CN=mobilevpn test client CA\""),
                "the gateway built our path through it");
        assertTrue(log.matches("(?s).*authentication of 'client@vpn.test' with RSA[^\\n]* successful.*"));
        StrongSwanGateway.Fragmentation fragments = gw.fragmentation();
        assertTrue(fragments.reassembledFrom() >= 3, "our IKE_AUTH arrived in fragments: " + fragments);
        assertTrue(fragments.splitInto() >= 3, "the gateway fragmented its answer, which we reassembled: " + fragments);
        assertTrue(log.contains("sending issuer cert \"C=CH, O=mobilevpn test, CN=mobilevpn test gateway CA\""),
                "the gateway sent its intermediate, the only way we could reach the root");
        IkeSa sa = IkePskIT.single(gw.listSas());
        assertEquals(StrongSwanGateway.CLIENT_ID, sa.remoteId());
        KeyAssertions.sameIkeSa(ike, sa, KeyAssertions.keyLog(gw));
        KeyAssertions.sameChildSa(child, sa.child(), KeyAssertions.keyLog(gw));

        // On the wire (tshark's own dissector): IKE_AUTH went only as SKF fragments, none over 1280 octets of IP.
        Tshark.IkeAuthDatagrams auth = Tshark.ikeAuthDatagrams(capture.stop());
        assertEquals(Map.of(), auth.unfragmented(), "no unfragmented IKE_AUTH");
        for (String from : List.of(TestNetwork.CLIENT_IP, TestNetwork.GATEWAY_IP)) {
            List<Integer> sizes = auth.fragmentsFrom(from);
            assertTrue(sizes.size() >= 3, from + " sent " + auth);
            assertTrue(sizes.stream().allMatch(n -> n <= 1280), from + " sent " + sizes);
        }
    }

    /**
     * A gateway without RFC 7427 ({@code charon.signature_authentication = no}, applied with
     * {@code swanctl --reload-settings}): no SIGNATURE_HASH_ALGORITHMS, so both sides use the classic AUTH
     * methods of RFC 7296 §3.8 (RSA PKCS#1 v1.5 with SHA-1, ECDSA with SHA-256 on P-256 per RFC 4754). SHA-1 needs
     * {@code allow_sha1_signatures}: without it the RSA client refuses to sign with SHA-1 and says which key allows it.
     */
    @ParameterizedTest
    @EnumSource(value = TestPki.KeyType.class, names = {"ECDSA_P256", "RSA_3072"})
    void classicSignatureMethodsWithAGatewayWithoutRfc7427(TestPki.KeyType type, SystemTestContext ctx) throws Exception {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), type);
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, pki.gateway()).build()));
        Files.writeString(gw.dir().resolve("strongswan.conf"), "charon {\n  signature_authentication = no\n}\n",
                StandardOpenOption.APPEND);
        gw.swanctl("--reload-settings");
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        boolean rsa = type == TestPki.KeyType.RSA_3072;
        TestPki.Credential client = pki.client();
        if (rsa) {
            RecordingListener refused = new RecordingListener();
            engine.start(certConfig(pki, client, pki).build(), refused);
            Failed failed = refused.next(Failed.class, HANDSHAKE);
            assertEquals(FailureReason.NO_PROPOSAL_CHOSEN, failed.reason(), failed.message());
            assertTrue(failed.message().contains("allow_sha1_signatures = false refuses"), failed.message());
        }
        RecordingListener events = new RecordingListener();
        engine.start(certConfig(pki, client, pki).allowSha1Signatures(rsa).build(), events);

        IkeSaInfo ike = events.next(IkeUp.class, HANDSHAKE).info();
        ChildSaInfo child = events.next(ChildUp.class, HANDSHAKE).info();
        String log = gw.log();
        Matcher initResponse = Pattern.compile("generating IKE_SA_INIT response 0 \\[([^\\]]*)\\]").matcher(log);
        assertTrue(initResponse.find());
        assertFalse(initResponse.group(1).contains("HASH_ALG"), "the gateway announced no RFC 7427 hashes: " + initResponse.group());
        String method = rsa ? "RSA signature" : "ECDSA-256 signature";
        assertTrue(log.contains("authentication of 'client@vpn.test' with " + method + " successful"), "ours, classic");
        assertTrue(log.contains("authentication of 'gw.vpn.test' (myself) with " + method + " successful"),
                "the gateway's, classic, which we verified");
        // the refused attempt (RSA) may still be half-open at the gateway
        IkeSa sa = IkePskIT.single(gw.listSas().stream().filter(s -> s.state().equals("ESTABLISHED")).toList());
        KeyAssertions.sameIkeSa(ike, sa, KeyAssertions.keyLog(gw));
        KeyAssertions.sameChildSa(child, sa.child(), KeyAssertions.keyLog(gw));
    }

    @Test
    void smallFragmentSizeSplitsOurMessages(SystemTestContext ctx) {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        TestNetwork net = ctx.standardNetwork();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, pki.gateway()).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        engine.settings(EngineSettings.DEFAULTS.withFragmentSize(576));
        engine.start(certConfig(pki, pki.client(), pki).build(), events);

        events.next(ChildUp.class, HANDSHAKE);
        // The ~830-octet IKE_AUTH does not fit 576 octets (less IP, UDP and the non-ESP marker): two fragments.
        // UDP may deliver the two fragments in either order; the last to arrive completes the message
        assertTrue(gw.log().matches("(?s).*received fragment #[12] of 2, reassembled fragmented IKE message.*"),
                "our IKE_AUTH arrived in fragments");
    }

    @Test
    void gatewayCertificateFromAnotherCaIsRejected(SystemTestContext ctx) {
        TestPki pki = TestPki.create(ctx.outputDir("pki"), TestPki.KeyType.ECDSA_P256);
        TestPki other = TestPki.create(ctx.outputDir("other-pki"), TestPki.KeyType.ECDSA_P256);
        TestNetwork net = ctx.standardNetwork();
        ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayCert(pki, pki.gateway()).build()));
        EngineFixture engine = ctx.register(new EngineFixture(net, ctx.outputDir("engine")));
        RecordingListener events = new RecordingListener();
        engine.start(certConfig(pki, pki.client(), other).build(), events);

        Failed failed = events.next(Failed.class, HANDSHAKE);
        assertEquals(FailureReason.PEER_AUTH_FAILED, failed.reason(), failed.message());
    }
}
