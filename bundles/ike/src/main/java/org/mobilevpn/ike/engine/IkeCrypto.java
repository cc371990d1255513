package org.mobilevpn.ike.engine;

import java.util.Arrays;
import java.util.function.Function;
import org.mobilevpn.ike.crypto.CryptoFactory;
import org.mobilevpn.ike.crypto.IkeCipher;
import org.mobilevpn.ike.crypto.IkeIntegrity;
import org.mobilevpn.ike.crypto.Prf;
import org.mobilevpn.ike.keys.IkeKeyDerivation;
import org.mobilevpn.ike.keys.IkeSaSecrets;
import org.mobilevpn.ike.proposal.IkeTransforms;

/**
 * The negotiated crypto of one IKE SA (RFC 7296 §2.13-2.14, §3.3.2): the chosen transforms, their
 * instances and the SK_* keys, made together once and never changed. {@link #close()} wipes the keys.
 */
final class IkeCrypto implements AutoCloseable {
    final IkeTransforms transforms;
    final IkeCipher cipher;
    /** {@code null} with an AEAD cipher. */
    final IkeIntegrity integrity;
    final Prf prf;
    final IkeSaSecrets secrets;

    private IkeCrypto(IkeTransforms transforms, IkeCipher cipher, IkeIntegrity integrity, Prf prf,
            IkeSaSecrets secrets) {
        this.transforms = transforms;
        this.cipher = cipher;
        this.integrity = integrity;
        this.prf = prf;
        this.secrets = secrets;
    }

    /** Crypto of {@code chosen} with keys already derived (e.g. from an exported SA record). */
    static IkeCrypto of(IkeTransforms chosen, IkeSaSecrets secrets) {
        return new IkeCrypto(chosen, CryptoFactory.cipher(chosen.encryption()),
                CryptoFactory.integrity(chosen.integrity()), CryptoFactory.prf(chosen.prf()), secrets);
    }

    /**
     * Instantiates {@code chosen} and derives SK_* from the SKEYSEED {@code skeyseed} computes with the
     * negotiated PRF (RFC 7296 §2.14 for a new SA, §2.18 for a rekeyed one); SKEYSEED is wiped.
     */
    static IkeCrypto derive(IkeTransforms chosen, Function<Prf, byte[]> skeyseed, byte[] ni, byte[] nr, long spiI,
            long spiR) {
        IkeCipher cipher = CryptoFactory.cipher(chosen.encryption());
        IkeIntegrity integrity = CryptoFactory.integrity(chosen.integrity());
        Prf prf = CryptoFactory.prf(chosen.prf());
        byte[] seed = skeyseed.apply(prf);
        IkeSaSecrets secrets = IkeKeyDerivation.derive(prf, seed, ni, nr, spiI, spiR,
                integrity == null ? 0 : integrity.keyLength(), cipher.keyMaterialLength());
        Arrays.fill(seed, (byte) 0);
        return new IkeCrypto(chosen, cipher, integrity, prf, secrets);
    }

    @Override
    public void close() {
        secrets.close();
    }
}
