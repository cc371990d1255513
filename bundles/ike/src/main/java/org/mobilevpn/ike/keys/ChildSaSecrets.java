package org.mobilevpn.ike.keys;

import java.util.Arrays;
import org.mobilevpn.api.ike.ChildSaKeys;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;

/**
 * ESP key material of one Child SA by exchange role (RFC 7296 §2.17): "i" keys protect traffic from
 * the initiator of the creating exchange to its responder. Encryption material includes the AEAD salt.
 */
public final class ChildSaSecrets implements AutoCloseable {
    private final byte[] encryptionI;
    private final byte[] integrityI;
    private final byte[] encryptionR;
    private final byte[] integrityR;

    ChildSaSecrets(byte[] encryptionI, byte[] integrityI, byte[] encryptionR, byte[] integrityR) {
        this.encryptionI = encryptionI;
        this.integrityI = integrityI;
        this.encryptionR = encryptionR;
        this.integrityR = integrityR;
    }

    public byte[] encryptionI() { return encryptionI; }
    public byte[] integrityI() { return integrityI; }
    public byte[] encryptionR() { return encryptionR; }
    public byte[] integrityR() { return integrityR; }

    /**
     * Keys by direction for the data path, the salt split off as the algorithm says.
     *
     * @param weInitiated whether we started the exchange that created the SA (then "out" = "i")
     */
    public ChildSaKeys toApi(boolean weInitiated, EncryptionAlgorithm encryption) {
        EspKeys out = EspKeys.of(encryption, weInitiated ? encryptionI : encryptionR, weInitiated ? integrityI : integrityR);
        try {
            return new ChildSaKeys(EspKeys.of(encryption, weInitiated ? encryptionR : encryptionI,
                    weInitiated ? integrityR : integrityI), out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Copies of the keys by exchange role again, from the keys by direction of an exported Child SA record
     * (the reverse of {@link #toApi}; the record keeps and wipes its own).
     */
    public static ChildSaSecrets fromApi(ChildSaKeys keys, boolean weInitiated) {
        EspKeys i = weInitiated ? keys.out() : keys.in();
        EspKeys r = weInitiated ? keys.in() : keys.out();
        return new ChildSaSecrets(keyAndSalt(i), i.integrityKey().toByteArray(), keyAndSalt(r),
                r.integrityKey().toByteArray());
    }

    private static byte[] keyAndSalt(EspKeys k) {
        byte[] b = new byte[k.encryptionKey().length() + k.salt().length()];
        k.encryptionKey().copyTo(b, 0);
        k.salt().copyTo(b, k.encryptionKey().length());
        return b;
    }

    @Override
    public void close() {
        Arrays.fill(encryptionI, (byte) 0);
        Arrays.fill(integrityI, (byte) 0);
        Arrays.fill(encryptionR, (byte) 0);
        Arrays.fill(integrityR, (byte) 0);
    }
}
