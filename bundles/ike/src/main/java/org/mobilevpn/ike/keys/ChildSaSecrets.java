package org.mobilevpn.ike.keys;

import java.util.Arrays;
import org.mobilevpn.api.ike.ChildSaKeys;
import org.mobilevpn.api.ike.SecretBytes;

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
     * Keys by direction for the data path, splitting off {@code saltLength} octets of salt.
     *
     * @param weInitiated whether we started the exchange that created the SA (then "out" = "i")
     */
    public ChildSaKeys toApi(boolean weInitiated, int saltLength) {
        byte[] out = weInitiated ? encryptionI : encryptionR;
        byte[] in = weInitiated ? encryptionR : encryptionI;
        byte[] integOut = weInitiated ? integrityI : integrityR;
        byte[] integIn = weInitiated ? integrityR : integrityI;
        int keyLength = out.length - saltLength;
        return new ChildSaKeys(SecretBytes.copyOf(in, 0, keyLength), salt(in, keyLength, saltLength),
                secret(integIn), SecretBytes.copyOf(out, 0, keyLength), salt(out, keyLength, saltLength),
                secret(integOut));
    }

    private static SecretBytes salt(byte[] material, int offset, int length) {
        return length == 0 ? SecretBytes.empty() : SecretBytes.copyOf(material, offset, length);
    }

    private static SecretBytes secret(byte[] b) {
        return b.length == 0 ? SecretBytes.empty() : SecretBytes.copyOf(b);
    }

    @Override
    public void close() {
        Arrays.fill(encryptionI, (byte) 0);
        Arrays.fill(integrityI, (byte) 0);
        Arrays.fill(encryptionR, (byte) 0);
        Arrays.fill(integrityR, (byte) 0);
    }
}
