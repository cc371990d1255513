package org.mobilevpn.ike.crypto;

import org.mobilevpn.api.ipsec.PrfAlgorithm;

/** A pseudo-random function (RFC 7296 §2.13). */
public interface Prf {

    PrfAlgorithm algorithm();

    /** Output length, which is also the preferred key length (SK_d, SK_pi, SK_pr). */
    default int outputLength() {
        return algorithm().outputLength();
    }

    /** prf(key, data[0] | data[1] | ...). */
    byte[] compute(byte[] key, byte[]... data);
}
