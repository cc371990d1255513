package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.CertPayload;

/**
 * Path building through intermediates the gateway sends (RFC 7296 §3.6, RFC 5280 §6), on a real chain made
 * with strongSwan's pki (root -> intermediate -> gw.vpn.test, ECDSA, 20 years) plus an unrelated root.
 */
class PeerCertificatePathTest {
    private static final X509Certificate ROOT = load("root.pem");
    private static final X509Certificate INTERMEDIATE = load("intermediate.pem");
    private static final X509Certificate GATEWAY = load("gateway.pem");
    private static final X509Certificate UNRELATED = load("unrelated-root.pem");
    /** A day into the certificates' validity, so the test does not depend on today's date. */
    private static final Date AT = new Date(GATEWAY.getNotBefore().getTime() + 86_400_000L);

    private static X509Certificate load(String name) {
        try (InputStream in = PeerCertificatePathTest.class.getResourceAsStream("chain/" + name)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<CertPayload> sent(X509Certificate... certs) {
        return Stream.of(certs).map(c -> {
            try {
                return new CertPayload(CertPayload.X509_SIGNATURE, c.getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static FailureReason refused(List<X509Certificate> cas, List<CertPayload> payloads) {
        return assertThrows(IkeFailureException.class, () -> PeerCertificatePath.validate(cas, payloads, AT)).reason();
    }

    @Test
    void buildsThroughTheIntermediateTheGatewaySends() throws Exception {
        assertEquals(GATEWAY, PeerCertificatePath.validate(List.of(ROOT), sent(GATEWAY, INTERMEDIATE), AT));
    }

    @Test
    void ignoresCertificatesOutsideThePathAndTheRootSentAlong() throws Exception {
        assertEquals(GATEWAY, PeerCertificatePath.validate(List.of(ROOT), sent(GATEWAY, UNRELATED, INTERMEDIATE, ROOT), AT));
    }

    @Test
    void anIntermediateMayBeTheConfiguredCa() throws Exception {
        assertEquals(GATEWAY, PeerCertificatePath.validate(List.of(INTERMEDIATE), sent(GATEWAY), AT));
    }

    @Test
    void withoutTheIntermediateThereIsNoPath() {
        assertEquals(FailureReason.PEER_AUTH_FAILED, refused(List.of(ROOT), sent(GATEWAY)));
    }

    @Test
    void aSentRootIsNotTrustedForBeingSent() {
        assertEquals(FailureReason.PEER_AUTH_FAILED, refused(List.of(UNRELATED), sent(GATEWAY, INTERMEDIATE, ROOT)));
    }

    @Test
    void anExpiredPathIsRefused() {
        Date later = new Date(GATEWAY.getNotAfter().getTime() + 86_400_000L);
        assertThrows(IkeFailureException.class,
                () -> PeerCertificatePath.validate(List.of(ROOT), sent(GATEWAY, INTERMEDIATE), later));
    }

    @Test
    void noCertificateIsRefused() {
        assertEquals(FailureReason.PEER_AUTH_FAILED, refused(List.of(ROOT), List.of()));
    }
}
