package org.mobilevpn.ike.proposal;

import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.ike.message.Transform;

/** An encryption algorithm on the wire: transform ID plus Key Length attribute (RFC 7296 §3.3.5). */
final class EncryptionTransforms {

    private EncryptionTransforms() {
    }

    /** The transform; ChaCha20-Poly1305 has one key size and so no Key Length attribute (RFC 7634 §4). */
    static Transform toTransform(EncryptionAlgorithm algorithm) {
        return algorithm.fixedKeySize() ? Transform.of(Transform.TYPE_ENCR, algorithm.ianaId())
                : Transform.withKeyLength(Transform.TYPE_ENCR, algorithm.ianaId(), algorithm.keyBits());
    }

    /** Whether a received transform names this algorithm and key size. */
    static boolean matches(EncryptionAlgorithm algorithm, Transform t) {
        return t.type() == Transform.TYPE_ENCR && EncryptionAlgorithm.of(t.id(), t.keyLength()) == algorithm;
    }
}
