package org.mobilevpn.ike.engine;

import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.keys.ChildKeyDerivation;
import org.mobilevpn.ike.keys.ChildSaSecrets;
import org.mobilevpn.ike.proposal.EspTransforms;

/** KEYMAT of a Child SA (RFC 7296 §2.17) sized for its ESP transforms. */
final class ChildKeys {

    private ChildKeys() {
    }

    /**
     * @param sharedSecret PFS secret or {@code null}
     * @param ni nonce of whoever initiated the creating exchange
     * @param nr nonce of its responder
     */
    static ChildSaSecrets derive(IkeSa sa, EspTransforms t, byte[] sharedSecret, byte[] ni, byte[] nr) {
        int encryption = CryptoFactory.cipher(t.encryption()).keyMaterialLength();
        int integrity = t.integrity().keyLength();
        return ChildKeyDerivation.derive(sa.crypto().prf, sa.secrets().skD(), sharedSecret, ni, nr, encryption, integrity);
    }
}
