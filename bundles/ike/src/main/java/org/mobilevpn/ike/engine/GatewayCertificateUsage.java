package org.mobilevpn.ike.engine;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.PeerText;

/**
 * Whether the gateway's end-entity certificate may be used to authenticate an IKE gateway, by its key usage
 * and extended key usage (RFC 4945 §5.1.3.2, §5.1.3.12; RFC 5280 §4.2.1.3, §4.2.1.12). Most CAs issue their
 * client certificates with the extended key usage clientAuth only: this check is what keeps such a certificate
 * (another client's) from passing as the gateway's, together with the identity check of {@link CertificateAuth}.
 *
 * <ul>
 * <li>keyUsage, when present, must include digitalSignature or nonRepudiation: AUTH is a signature (§5.1.3.2).
 * <li>extendedKeyUsage, when present, must include one of
 *   <ul>
 *   <li>serverAuth (1.3.6.1.5.5.7.3.1) and ikeIntermediate (1.3.6.1.5.5.8.2.2): what deployed gateways carry,
 *       because Windows and Apple clients require one of them of a VPN server, and strongSwan's documentation
 *       issues gateway certificates with them;
 *   <li>id-kp-ipsecIKE (1.3.6.1.5.5.7.3.17) and anyExtendedKeyUsage (2.5.29.37.0): RFC 4945 §5.1.3.12 says a
 *       certificate with either MUST be accepted for IKE. Neither says "gateway" rather than "client", so a CA
 *       that gives them to clients gets no protection from this check; the identity check (remote_id, or the
 *       host of remote_addrs in the certificate's subjectAltName) is what stops another client then.
 *   </ul>
 *   Anything else (clientAuth alone, emailProtection, codeSigning ...) is refused.
 * </ul>
 * Without either extension the certificate is unrestricted (RFC 5280), as RFC 4945 asks CAs to issue them.
 */
final class GatewayCertificateUsage {
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String IKE_INTERMEDIATE = "1.3.6.1.5.5.8.2.2";
    static final String IPSEC_IKE = "1.3.6.1.5.5.7.3.17";
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final List<String> ACCEPTED = List.of(SERVER_AUTH, IKE_INTERMEDIATE, IPSEC_IKE, ANY_EXTENDED_KEY_USAGE);
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int NON_REPUDIATION = 1;

    private GatewayCertificateUsage() {
    }

    /** @throws IkeFailureException PEER_AUTH_FAILED naming the usage that does not allow a gateway's signature */
    static void check(X509Certificate gateway) throws IkeFailureException {
        boolean[] keyUsage = gateway.getKeyUsage();
        if (keyUsage != null && !(bit(keyUsage, DIGITAL_SIGNATURE) || bit(keyUsage, NON_REPUDIATION))) {
            throw failed("the gateway's certificate " + PeerText.of(gateway.getSubjectX500Principal())
                    + " has a keyUsage without digitalSignature: it may not sign (RFC 4945 §5.1.3.2)");
        }
        List<String> extended;
        try {
            extended = gateway.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw failed("the gateway's certificate has an extendedKeyUsage that does not parse: " + PeerText.of(e.getMessage()));
        }
        if (extended != null && extended.stream().noneMatch(ACCEPTED::contains)) {
            throw failed("the gateway's certificate " + PeerText.of(gateway.getSubjectX500Principal())
                    + " is not for a server: its extendedKeyUsage " + PeerText.of(String.valueOf(extended))
                    + " has none of serverAuth, ikeIntermediate, id-kp-ipsecIKE, anyExtendedKeyUsage (a client's certificate?)");
        }
    }

    private static boolean bit(boolean[] bits, int index) {
        return index < bits.length && bits[index];
    }

    private static IkeFailureException failed(String message) {
        return new IkeFailureException(FailureReason.PEER_AUTH_FAILED, message);
    }
}
