package org.mobilevpn.ike.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** {@link AuthSignatures} through the JDK's JCA providers: available everywhere, the fallback. */
public final class JcaAuthSignatures implements AuthSignatures {

    @Override
    public byte[] sign(String algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    @Override
    public boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(key);
        s.update(data);
        return s.verify(signature);
    }
}
