package org.mobilevpn.ike.keys;

import java.util.Arrays;
import org.mobilevpn.ike.crypto.Prf;
import org.mobilevpn.ike.crypto.PrfPlus;
import org.mobilevpn.ike.message.OctetWriter;

/**
 * Key derivation of an IKE SA: SKEYSEED and SK_* (RFC 7296 §2.14) and SKEYSEED of a rekeyed IKE SA
 * (§2.18). The caller wipes the inputs it owns.
 */
public final class IkeKeyDerivation {

    private IkeKeyDerivation() {
    }

    /** SKEYSEED = prf(Ni | Nr, g^ir). */
    public static byte[] skeyseed(Prf prf, byte[] ni, byte[] nr, byte[] sharedSecret) {
        byte[] key = concat(ni, nr);
        try {
            return prf.compute(key, sharedSecret);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), with the new SA's PRF. */
    public static byte[] rekeyedSkeyseed(Prf prf, byte[] oldSkD, byte[] sharedSecret, byte[] ni, byte[] nr) {
        return prf.compute(oldSkD, sharedSecret, ni, nr);
    }

    /**
     * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
     *
     * @param integrityKeyLength 0 with an AEAD cipher
     * @param encryptionKeyMaterialLength cipher key plus salt for AEAD (RFC 5282 §7.1)
     */
    public static IkeSaSecrets derive(Prf prf, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR,
            int integrityKeyLength, int encryptionKeyMaterialLength) {
        int prfLength = prf.outputLength();
        int total = 3 * prfLength + 2 * integrityKeyLength + 2 * encryptionKeyMaterialLength;
        byte[] seed = new OctetWriter(ni.length + nr.length + 16).bytes(ni).bytes(nr).u64(spiI).u64(spiR).toByteArray();
        byte[] stream = PrfPlus.derive(prf, skeyseed, seed, total);
        try {
            int[] at = {0};
            return new IkeSaSecrets(take(stream, at, prfLength), take(stream, at, integrityKeyLength),
                    take(stream, at, integrityKeyLength), take(stream, at, encryptionKeyMaterialLength),
                    take(stream, at, encryptionKeyMaterialLength), take(stream, at, prfLength),
                    take(stream, at, prfLength));
        } finally {
            Arrays.fill(stream, (byte) 0);
        }
    }

    static byte[] take(byte[] stream, int[] at, int length) {
        byte[] out = Arrays.copyOfRange(stream, at[0], at[0] + length);
        at[0] += length;
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
