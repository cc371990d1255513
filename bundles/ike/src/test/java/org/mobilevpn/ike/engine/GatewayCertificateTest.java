package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.net.IpAddresses;
import org.mobilevpn.ike.crypto.JcaAuthSignatures;
import org.mobilevpn.ike.message.AuthPayload;
import org.mobilevpn.ike.message.CertPayload;

/**
 * The gateway's certificate must be one a gateway signs with (RFC 4945 §5.1.3.2, §5.1.3.12) and must name the
 * gateway: {@code remote_id}, or without one the host of {@code remote_addrs} (not another client of the CA).
 */
class GatewayCertificateTest {
    private static final TestCertificates PKI = new TestCertificates();
    private static final byte[] SIGNED = "the octets AUTH signs".getBytes();
    private static final IkeIdentity GW = IkeIdentity.fqdn("gw.vpn.test");
    private static final IkeIdentity HOST = IkeIdentity.address(IpAddresses.parse("198.51.100.1"));
    private static final List<String> GATEWAY_SANS = List.of("dns:gw.vpn.test", "ip:198.51.100.1");

    /** verify() for a certificate that signed SIGNED properly: what remains to decide is usage and identity. */
    private static void verify(TestCertificates.Issued gateway, IkeIdentity idr, IkeIdentity host) throws Exception {
        CertificateAuth.verify(new JcaAuthSignatures(), new ValidatedChains(), List.of(PKI.ca), certs(gateway.certificate()),
                idr, host, auth(gateway.keys().getPrivate()), SIGNED, false);
    }

    private static List<CertPayload> certs(X509Certificate c) throws GeneralSecurityException {
        return List.of(new CertPayload(CertPayload.X509_SIGNATURE, c.getEncoded()));
    }

    private static AuthPayload auth(PrivateKey key) throws IkeFailureException {
        return CertificateAuth.sign(new JcaAuthSignatures(), key, Set.of(SignatureHashTask.SHA2_256), SIGNED, false);
    }

    private static IkeFailureException refused(TestCertificates.Issued gateway, IkeIdentity idr, IkeIdentity host) {
        IkeFailureException e = assertThrows(IkeFailureException.class, () -> verify(gateway, idr, host));
        assertEquals(FailureReason.PEER_AUTH_FAILED, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void aGatewayCertificateNamingTheHostPasses() throws Exception {
        verify(PKI.issue("gw.vpn.test", GATEWAY_SANS, List.of(GatewayCertificateUsage.SERVER_AUTH),
                KeyUsage.digitalSignature), GW, HOST);
    }

    @Test
    void anotherClientsCertificateDoesNotNameTheHost() {
        TestCertificates.Issued other = PKI.issue("other@vpn.test", List.of("email:other@vpn.test"), null, 0);
        IkeFailureException e = refused(other, IkeIdentity.email("other@vpn.test"), HOST);
        assertTrue(e.getMessage().contains("does not name 198.51.100.1, the host in remote_addrs"), e.getMessage());
        assertTrue(e.getMessage().contains("[other@vpn.test]"), "says what the certificate names: " + e.getMessage());
    }

    @Test
    void withRemoteIdOnlyTheConfiguredIdentityCounts() throws Exception {
        // remote_id = gw.vpn.test was sent as IDr and compared with the IDr before; the host is not checked then
        verify(PKI.issue("gw.vpn.test", List.of("dns:gw.vpn.test"), null, 0), GW, null);
    }

    @Test
    void aHostNameMustBeADnsSubjectAltName() throws Exception {
        TestCertificates.Issued gateway = PKI.issue("vpn.example.org", List.of("dns:vpn.example.org"), null, 0);
        verify(gateway, IkeIdentity.fqdn("vpn.example.org"), IkeIdentity.fqdn("VPN.example.org"));
        refused(gateway, IkeIdentity.fqdn("vpn.example.org"), IkeIdentity.fqdn("vpn2.example.org"));
    }

    @Test
    void theCommonNameAloneDoesNotNameTheHost() {
        refused(PKI.issue("198.51.100.1", List.of("dns:gw.vpn.test"), null, 0), GW, HOST);
    }

    @ParameterizedTest
    @ValueSource(strings = {GatewayCertificateUsage.SERVER_AUTH, GatewayCertificateUsage.IKE_INTERMEDIATE,
        GatewayCertificateUsage.IPSEC_IKE, GatewayCertificateUsage.ANY_EXTENDED_KEY_USAGE})
    void extendedKeyUsagesOfAServerOrOfIkePass(String oid) throws Exception {
        verify(PKI.issue("gw.vpn.test", GATEWAY_SANS, List.of("1.3.6.1.5.5.7.3.2", oid), 0), GW, HOST);
    }

    @Test
    void aClientOnlyExtendedKeyUsageIsRefusedEvenWithTheRightNames() {
        IkeFailureException e = refused(PKI.issue("gw.vpn.test", GATEWAY_SANS, List.of("1.3.6.1.5.5.7.3.2"), 0), GW, HOST);
        assertTrue(e.getMessage().contains("is not for a server"), e.getMessage());
        refused(PKI.issue("gw.vpn.test", GATEWAY_SANS, List.of("1.3.6.1.5.5.7.3.4"), 0), GW, HOST); // emailProtection
    }

    @Test
    void aKeyUsageMustAllowSignatures() throws Exception {
        IkeFailureException e = refused(PKI.issue("gw.vpn.test", GATEWAY_SANS, null, KeyUsage.keyEncipherment), GW, HOST);
        assertTrue(e.getMessage().contains("without digitalSignature"), e.getMessage());
        verify(PKI.issue("gw.vpn.test", GATEWAY_SANS, null, KeyUsage.nonRepudiation), GW, HOST);
        verify(PKI.issue("gw.vpn.test", GATEWAY_SANS, null, KeyUsage.digitalSignature | KeyUsage.keyEncipherment), GW, HOST);
    }

    @Test
    void anIdrTheCertificateDoesNotNameIsRefused() {
        refused(PKI.issue("gw.vpn.test", GATEWAY_SANS, null, 0), IkeIdentity.fqdn("other.vpn.test"), HOST);
    }

    @Test
    void theEngineRefusesToStartWithoutAnIdentityToCheckTheCertificateAgainst() {
        org.mobilevpn.api.ike.IkeSessionConfig config = ScriptedSession.config().remoteId(null)
                .caCertificates(List.of(PKI.ca)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ScriptedSession().start(config));
        assertTrue(e.getMessage().startsWith("remote_id: missing"), e.getMessage());
        new ScriptedSession().start(config.withRemoteHostId(HOST)); // the runtime always gives the host
    }

    // ---- malformed AUTH, ID and CERT of the gateway: PEER_AUTH_FAILED, never an internal error

    @Test
    void aDistinguishedNameIdrThatIsNoDerIsRefused() {
        refused(PKI.issue("gw.vpn.test", GATEWAY_SANS, null, 0), IkeIdentity.of(IkeIdentity.Type.DER_ASN1_DN,
                new byte[] {0x30, 0x7f, 1, 2}), HOST);
    }

    @Test
    void aCertPayloadThatIsNoCertificateIsRefused() throws Exception {
        TestCertificates.Issued gateway = PKI.issue("gw.vpn.test", GATEWAY_SANS, null, 0);
        byte[] der = gateway.certificate().getEncoded();
        for (byte[] bad : new byte[][] {Arrays.copyOf(der, der.length / 2), {0x30, (byte) 0x84, 0x7f, -1, -1, -1}, {0}}) {
            IkeFailureException e = assertThrows(IkeFailureException.class, () -> CertificateAuth.verify(new JcaAuthSignatures(),
                    new ValidatedChains(), List.of(PKI.ca), List.of(new CertPayload(CertPayload.X509_SIGNATURE, bad)), GW, HOST,
                    auth(gateway.keys().getPrivate()), SIGNED, false));
            assertEquals(FailureReason.PEER_AUTH_FAILED, e.reason(), e.getMessage());
        }
    }

    @Test
    void malformedAuthDataIsRefused() throws Exception {
        TestCertificates.Issued gateway = PKI.issue("gw.vpn.test", GATEWAY_SANS, null, 0);
        byte[] good = auth(gateway.keys().getPrivate()).data();
        int idLength = good[0] & 0xff;
        List<byte[]> bad = List.of(
                new byte[] {2, 0x30, 0x00, 1, 2, 3},               // AlgorithmIdentifier of two octets: SEQUENCE {}
                new byte[] {3, 0x30, 0x01, 0x06, 1},               // an OID without its octets
                new byte[] {(byte) 200, 0x30},                     // longer than the payload
                Arrays.copyOf(good, 1 + idLength),                 // no signature after it
                Arrays.copyOf(good, good.length - 7),              // a cut signature
                concat(Arrays.copyOf(good, 1 + idLength), new byte[] {0x30, 0x02, 0x02, 0x00}));  // not an ECDSA value
        for (byte[] data : bad) {
            IkeFailureException e = assertThrows(IkeFailureException.class, () -> CertificateAuth.verify(new JcaAuthSignatures(),
                    new ValidatedChains(), List.of(PKI.ca), certs(gateway.certificate()), GW, HOST,
                    new AuthPayload(AuthPayload.DIGITAL_SIGNATURE, data), SIGNED, false), Arrays.toString(data));
            assertEquals(FailureReason.PEER_AUTH_FAILED, e.reason(), e.getMessage());
        }
        for (int method : new int[] {AuthPayload.ECDSA_SHA256_P256, AuthPayload.ECDSA_SHA384_P384, 240}) {
            IkeFailureException e = assertThrows(IkeFailureException.class, () -> CertificateAuth.verify(new JcaAuthSignatures(),
                    new ValidatedChains(), List.of(PKI.ca), certs(gateway.certificate()), GW, HOST,
                    new AuthPayload(method, new byte[] {1, 2, 3}), SIGNED, false));
            assertEquals(FailureReason.PEER_AUTH_FAILED, e.reason(), e.getMessage());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
