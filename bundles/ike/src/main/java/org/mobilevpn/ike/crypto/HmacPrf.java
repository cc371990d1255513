package org.mobilevpn.ike.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mobilevpn.api.ipsec.PrfAlgorithm;

/** PRF_HMAC_SHA2_*: full-length HMAC with SHA-2 (RFC 4868 §2.1.2); any key length (RFC 2104). */
final class HmacPrf implements Prf {
    private final PrfAlgorithm algorithm;
    private final String jcaName;

    HmacPrf(PrfAlgorithm algorithm) {
        this.algorithm = algorithm;
        switch (algorithm) {
            case HMAC_SHA2_256: jcaName = "HmacSHA256"; break;
            case HMAC_SHA2_384: jcaName = "HmacSHA384"; break;
            case HMAC_SHA2_512: jcaName = "HmacSHA512"; break;
            default: throw new IllegalArgumentException("no HMAC for " + algorithm);
        }
    }

    @Override
    public PrfAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public byte[] compute(byte[] key, byte[]... data) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            // HMAC accepts an empty key (RFC 2104 pads it); SecretKeySpec does not, so use one zero octet,
            // which HMAC pads to the same block of zeros.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, jcaName));
            for (byte[] d : data) {
                mac.update(d);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " unavailable in this JRE", e);
        }
    }
}
