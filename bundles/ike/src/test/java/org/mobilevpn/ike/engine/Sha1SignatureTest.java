package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.ike.crypto.JcaAuthSignatures;
import org.mobilevpn.ike.message.AuthPayload;
import org.mobilevpn.ike.message.CertPayload;

/** No SHA-1 in AUTH signatures, ours or the gateway's, unless the profile sets {@code allow_sha1_signatures}. */
class Sha1SignatureTest {
    private static final TestCertificates PKI = new TestCertificates();
    private static final byte[] SIGNED = "the octets AUTH signs".getBytes();
    private static final IkeIdentity GW = IkeIdentity.fqdn("gw.vpn.test");
    /** RFC 7427 AUTH data for ecdsa-with-SHA1: the AlgorithmIdentifier's length, SEQUENCE { OID 1.2.840.10045.4.1 }. */
    private static final byte[] ECDSA_SHA1_ID = HexFormat.of().parseHex("0b" + "3009" + "06072a8648ce3d0401");

    @Test
    void anRsaSignatureTowardAGatewayWithoutRfc7427IsSha1AndRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey rsa = g.generateKeyPair().getPrivate();
        IkeFailureException e = assertThrows(IkeFailureException.class,
                () -> CertificateAuth.sign(new JcaAuthSignatures(), rsa, Set.of(), SIGNED, false));
        assertEquals(FailureReason.NO_PROPOSAL_CHOSEN, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("allow_sha1_signatures = false refuses"), e.getMessage());
        assertEquals(AuthPayload.RSA_SIGNATURE, CertificateAuth.sign(new JcaAuthSignatures(), rsa, Set.of(), SIGNED, true).method());
    }

    @Test
    void theGatewaysSha1SignaturesAreRefused() throws Exception {
        TestCertificates.Issued gateway = PKI.issue("gw.vpn.test", List.of("dns:gw.vpn.test"), null, 0);
        Signature s = Signature.getInstance("SHA1withECDSA");
        s.initSign(gateway.keys().getPrivate());
        s.update(SIGNED);
        byte[] signature = s.sign();
        byte[] data = new byte[ECDSA_SHA1_ID.length + signature.length];
        System.arraycopy(ECDSA_SHA1_ID, 0, data, 0, ECDSA_SHA1_ID.length);
        System.arraycopy(signature, 0, data, ECDSA_SHA1_ID.length, signature.length);
        AuthPayload ecdsaSha1 = new AuthPayload(AuthPayload.DIGITAL_SIGNATURE, data);

        assertRefused(gateway, ecdsaSha1, "an RFC 7427 signature ecdsa-with-SHA1");
        // the same signature passes where the profile allows SHA-1: the refusal above is about SHA-1 alone
        CertificateAuth.verify(new JcaAuthSignatures(), new ValidatedChains(), List.of(PKI.ca), certs(gateway), GW, null,
                ecdsaSha1, SIGNED, true);
        // RFC 7296 §3.8 method 1 is SHA-1 by definition: refused before its signature is even looked at
        assertRefused(gateway, new AuthPayload(AuthPayload.RSA_SIGNATURE, new byte[256]),
                "an RSA signature with SHA-1 (RFC 7296 §3.8 method 1)");
    }

    private static void assertRefused(TestCertificates.Issued gateway, AuthPayload auth, String what) throws Exception {
        IkeFailureException e = assertThrows(IkeFailureException.class, () -> CertificateAuth.verify(new JcaAuthSignatures(),
                new ValidatedChains(), List.of(PKI.ca), certs(gateway), GW, null, auth, SIGNED, false));
        assertEquals(FailureReason.PEER_AUTH_FAILED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("signs AUTH with " + what + ", which allow_sha1_signatures = false refuses"),
                e.getMessage());
    }

    private static List<CertPayload> certs(TestCertificates.Issued gateway) throws Exception {
        return List.of(new CertPayload(CertPayload.X509_SIGNATURE, gateway.certificate().getEncoded()));
    }
}
