package org.mobilevpn.ike.crypto;

import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/** An integrity transform (RFC 7296 §3.3.2 type 3): a truncated MAC over the protected message. */
public interface IkeIntegrity {

    IntegrityAlgorithm algorithm();

    /** Key length in octets. */
    default int keyLength() {
        return algorithm().keyLength();
    }

    /** Length of the checksum in octets. */
    default int icvLength() {
        return algorithm().icvLength();
    }

    /** The truncated MAC of {@code data[offset, offset+length)}. */
    byte[] compute(byte[] key, byte[] data, int offset, int length);
}
