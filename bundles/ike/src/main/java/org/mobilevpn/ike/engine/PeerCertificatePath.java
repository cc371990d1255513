package org.mobilevpn.ike.engine;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.PeerText;
import org.mobilevpn.ike.message.CertPayload;

/**
 * Builds and validates the gateway's certificate path (RFC 7296 §3.6, RFC 5280 §6). The first X.509 CERT
 * payload holds the end-entity certificate whose key signs AUTH; the other CERT payloads may carry
 * intermediate CAs in any order (and certificates that belong to no path). The path is built from the end
 * entity through those intermediates up to one of the configured CAs, which may itself be a root or an
 * intermediate; a CA certificate the gateway sends along is never trusted for being sent.
 */
final class PeerCertificatePath {

    private PeerCertificatePath() {
    }

    /**
     * @param cas our trusted CAs (the profile's {@code ca})
     * @param certPayloads the gateway's CERT payloads in order
     * @param at the time of validation (now)
     * @return the validated end-entity certificate
     * @throws IkeFailureException PEER_AUTH_FAILED when no X.509 certificate came or no valid path exists
     */
    static X509Certificate validate(List<X509Certificate> cas, List<CertPayload> certPayloads, Date at)
            throws IkeFailureException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> received = new ArrayList<>();
            for (CertPayload p : certPayloads) {
                if (p.encoding() == CertPayload.X509_SIGNATURE) {
                    received.add(parse(cf, p.data()));
                }
            }
            if (received.isEmpty()) {
                throw failed("gateway sent no X.509 certificate");
            }
            if (cas.isEmpty()) {
                throw failed("no CA configured to validate the gateway's certificate");
            }
            X509Certificate endEntity = received.get(0);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate ca : cas) {
                anchors.add(new TrustAnchor(ca, null));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(endEntity);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false); // no CRL/OCSP source is configured in a profile
            params.setDate(at);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(received)));
            CertPathBuilder.getInstance("PKIX").build(params);
            return endEntity;
        } catch (GeneralSecurityException e) {
            throw failed("gateway certificate does not validate against the CA: " + PeerText.of(e.getMessage()));
        }
    }

    /** One CERT payload's certificate; whatever the JDK's parser throws for bad DER means the gateway's is malformed. */
    private static X509Certificate parse(CertificateFactory cf, byte[] der) throws IkeFailureException {
        try {
            return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failed("the gateway's CERT payload is not an X.509 certificate: " + PeerText.of(e.getMessage()));
        }
    }

    private static IkeFailureException failed(String message) {
        return new IkeFailureException(FailureReason.PEER_AUTH_FAILED, message);
    }
}
