package org.mobilevpn.ike.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/** AUTH_HMAC_SHA2_*: HMAC with SHA-2 truncated to half the hash length (RFC 4868 §2.1). */
final class HmacIntegrity implements IkeIntegrity {
    private final IntegrityAlgorithm algorithm;
    private final String jcaName;

    HmacIntegrity(IntegrityAlgorithm algorithm) {
        this.algorithm = algorithm;
        switch (algorithm) {
            case HMAC_SHA2_256_128: jcaName = "HmacSHA256"; break;
            case HMAC_SHA2_384_192: jcaName = "HmacSHA384"; break;
            case HMAC_SHA2_512_256: jcaName = "HmacSHA512"; break;
            default: throw new IllegalArgumentException("no HMAC for " + algorithm);
        }
    }

    @Override
    public IntegrityAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public byte[] compute(byte[] key, byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(key, jcaName));
            mac.update(data, offset, length);
            return Arrays.copyOf(mac.doFinal(), algorithm.icvLength());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " unavailable in this JRE", e);
        }
    }
}
