package org.mobilevpn.ike.keys;

import java.util.Arrays;
import org.mobilevpn.ike.crypto.Prf;
import org.mobilevpn.ike.crypto.PrfPlus;

/**
 * Child SA key material (RFC 7296 §2.17): KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), split in the
 * order encryption key then integrity key for the direction initiator to responder, then the same for
 * responder to initiator, where "initiator" is whoever started the exchange that created the SA.
 */
public final class ChildKeyDerivation {

    private ChildKeyDerivation() {
    }

    /**
     * @param sharedSecret the PFS secret of a CREATE_CHILD_SA exchange, or {@code null}
     * @param encryptionKeyMaterialLength cipher key plus salt
     * @param integrityKeyLength 0 with an AEAD cipher
     */
    public static ChildSaSecrets derive(Prf prf, byte[] skD, byte[] sharedSecret, byte[] ni, byte[] nr,
            int encryptionKeyMaterialLength, int integrityKeyLength) {
        byte[] seed = sharedSecret == null ? IkeKeyDerivation.concat(ni, nr)
                : IkeKeyDerivation.concat(sharedSecret, ni, nr);
        byte[] stream = PrfPlus.derive(prf, skD, seed, 2 * (encryptionKeyMaterialLength + integrityKeyLength));
        try {
            int[] at = {0};
            byte[] encI = IkeKeyDerivation.take(stream, at, encryptionKeyMaterialLength);
            byte[] integI = IkeKeyDerivation.take(stream, at, integrityKeyLength);
            byte[] encR = IkeKeyDerivation.take(stream, at, encryptionKeyMaterialLength);
            byte[] integR = IkeKeyDerivation.take(stream, at, integrityKeyLength);
            return new ChildSaSecrets(encI, integI, encR, integR);
        } finally {
            Arrays.fill(stream, (byte) 0);
            Arrays.fill(seed, (byte) 0);
        }
    }
}
