package org.mobilevpn.ike.engine;

import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.proposal.IkeTransforms;

/** Instantiates the negotiated IKE SA transforms (RFC 7296 §3.3.2) on an {@link IkeSa}. */
final class IkeCrypto {

    private IkeCrypto() {
    }

    static void install(IkeSa sa, IkeTransforms chosen) {
        sa.transforms = chosen;
        sa.cipher = CryptoFactory.cipher(chosen.encryption());
        sa.integrity = CryptoFactory.integrity(chosen.integrity());
        sa.prf = CryptoFactory.prf(chosen.prf());
    }
}
