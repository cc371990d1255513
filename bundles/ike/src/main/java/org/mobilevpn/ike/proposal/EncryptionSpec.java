package org.mobilevpn.ike.proposal;

import org.mobilevpn.api.ike.EncryptionAlgorithm;
import org.mobilevpn.ike.message.Transform;

/** An encryption transform with its key length, as one keyword of a proposal names it. */
public record EncryptionSpec(EncryptionAlgorithm algorithm, int keyBits) {

    /**
     * Whether the algorithm has one fixed key size and so no Key Length attribute: ChaCha20-Poly1305
     * (RFC 7634 §4: the attribute MUST NOT be sent).
     */
    public boolean fixedKeySize() {
        return algorithm == EncryptionAlgorithm.CHACHA20_POLY1305;
    }

    /** The transform on the wire. */
    public Transform toTransform() {
        return fixedKeySize() ? Transform.of(Transform.TYPE_ENCR, algorithm.ianaId())
                : Transform.withKeyLength(Transform.TYPE_ENCR, algorithm.ianaId(), keyBits);
    }

    /** Whether a received transform names this algorithm and key size. */
    public boolean matches(Transform t) {
        return t.type() == Transform.TYPE_ENCR && t.id() == algorithm.ianaId()
                && (fixedKeySize() ? t.keyLength() == 0 || t.keyLength() == keyBits : t.keyLength() == keyBits);
    }
}
