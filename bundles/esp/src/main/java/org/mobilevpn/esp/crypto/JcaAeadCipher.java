package org.mobilevpn.esp.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * Combined-mode ESP through a JCA AEAD cipher: nonce = 4-byte salt | 8-byte explicit IV, AAD = SPI |
 * [ESN high] | sequence number, 16-byte tag as ICV (RFC 4106 §3-5, RFC 7634 §2). One {@link Cipher}
 * per SA, re-initialised with each packet's nonce; the JDK refuses to encrypt twice with the same key
 * and nonce, which our sequence-number nonces never do.
 */
abstract class JcaAeadCipher implements EspPacketCipher {

    static final int IV_LENGTH = 8;
    static final int TAG_LENGTH = 16;

    private final Cipher cipher;
    private final WipeableSecretKey key;
    private final byte[] nonce = new byte[12];
    private final boolean encrypting;
    private final AeadAssociatedData aad;

    JcaAeadCipher(String transformation, String keyAlgorithm, byte[] key, byte[] salt, boolean esn,
                  boolean encrypting) {
        if (salt.length != 4) {
            throw new IllegalArgumentException("AEAD ESP needs a 4-byte salt");
        }
        try {
            this.cipher = Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " not available in this JDK", e);
        }
        this.key = new WipeableSecretKey(keyAlgorithm, key);
        System.arraycopy(salt, 0, nonce, 0, 4);
        this.encrypting = encrypting;
        this.aad = new AeadAssociatedData(esn);
    }

    /** The parameters for one packet; the JCA API offers no way to change the nonce without this object. */
    abstract AlgorithmParameterSpec parameters(byte[] nonce);

    @Override
    public int ivLength() {
        return IV_LENGTH;
    }

    @Override
    public int icvLength() {
        return TAG_LENGTH;
    }

    @Override
    public int blockSize() {
        return 4;
    }

    @Override
    public void seal(byte[] buf, int espOffset, int payloadLength, long sequenceNonce, int seqHigh) {
        requireMode(true);
        int ivOffset = espOffset + 8;
        int payloadOffset = ivOffset + IV_LENGTH;
        Bytes.putLong(buf, ivOffset, sequenceNonce);
        Bytes.putLong(nonce, 4, sequenceNonce);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, parameters(nonce));
            authenticateHeader(buf, espOffset, seqHigh);
            cipher.doFinal(buf, payloadOffset, payloadLength, buf, payloadOffset);
        } catch (GeneralSecurityException e) {
            // Only a programming error (buffer sizing, nonce reuse) gets here.
            throw new IllegalStateException("ESP encryption failed", e);
        }
    }

    @Override
    public boolean open(byte[] in, int espOffset, int ciphertextLength, byte[] out, int outOffset, int seqHigh) {
        requireMode(false);
        int ivOffset = espOffset + 8;
        System.arraycopy(in, ivOffset, nonce, 4, IV_LENGTH);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, parameters(nonce));
            authenticateHeader(in, espOffset, seqHigh);
            cipher.doFinal(in, ivOffset + IV_LENGTH, ciphertextLength + TAG_LENGTH, out, outOffset);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            // A packet must never break the pump. The JDK's ChaCha20 refuses even to DECRYPT with the
            // key and nonce of its previous init (InvalidKeyException), which a forged copy of the last
            // packet's IV triggers; such a packet is no more authentic than one with a bad tag.
            return false;
        }
    }

    private void authenticateHeader(byte[] packet, int espOffset, int seqHigh) {
        if (aad.separate()) {
            cipher.updateAAD(aad.fill(packet, espOffset, seqHigh), 0, aad.length());
        } else {
            cipher.updateAAD(packet, espOffset, 8);
        }
    }

    private void requireMode(boolean encrypt) {
        if (encrypt != encrypting) {
            throw new IllegalStateException(encrypting ? "outbound cipher cannot decrypt" : "inbound cipher cannot encrypt");
        }
    }

    @Override
    public void close() {
        key.destroy();
        Arrays.fill(nonce, (byte) 0);
    }
}
