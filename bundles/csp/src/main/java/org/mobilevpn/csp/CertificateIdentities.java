package org.mobilevpn.csp;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.net.IpAddresses;

/**
 * Whether our certificate vouches for our {@code local_id}: the gateway checks that the identity we
 * send (RFC 7296 §3.5) is the certificate's subject or one of its subjectAltNames (RFC 4945 §3.1), so
 * a mismatch is caught here instead of as an AUTHENTICATION_FAILED from the gateway.
 */
final class CertificateIdentities {
    private static final int SAN_RFC822 = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private CertificateIdentities() {
    }

    static boolean contains(X509Certificate cert, IkeIdentity id) {
        byte[] data = id.data();
        switch (id.type()) {
            case DER_ASN1_DN:
                try {
                    return cert.getSubjectX500Principal().equals(new X500Principal(data));
                } catch (IllegalArgumentException e) {
                    return false;
                }
            case FQDN:
                return san(cert, SAN_DNS, id.toString());
            case RFC822_ADDR:
                return san(cert, SAN_RFC822, id.toString());
            case IPV4_ADDR:
            case IPV6_ADDR:
                return san(cert, SAN_IP, id.toString());
            default:
                return true; // KEY_ID and general names are not in the certificate: nothing to check
        }
    }

    private static boolean san(X509Certificate cert, int type, String value) {
        Collection<List<?>> names;
        try {
            names = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        for (List<?> name : names) {
            if (name.size() >= 2 && name.get(0) instanceof Integer t && t == type && name.get(1) instanceof String s) {
                if (type == SAN_IP ? sameAddress(s, value) : s.equalsIgnoreCase(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return IpAddresses.parse(a).equals(IpAddresses.parse(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
