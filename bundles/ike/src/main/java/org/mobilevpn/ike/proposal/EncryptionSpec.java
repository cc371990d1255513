package org.mobilevpn.ike.proposal;

import org.mobilevpn.api.ike.EncryptionAlgorithm;

/** An encryption transform with its key length, as one keyword of a proposal names it. */
public record EncryptionSpec(EncryptionAlgorithm algorithm, int keyBits) {
}
