package org.mobilevpn.esp.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * AES-CBC (RFC 3602) with HMAC-SHA2 truncated ICV (RFC 4868) for ESP, encrypt-then-MAC over SPI,
 * sequence number, IV and ciphertext, plus the ESN high bits when negotiated (RFC 4303 §2.2.1, §3.3.2.2).
 *
 * <p>Per-packet IVs without re-initialising the cipher: the CBC cipher is initialised once with an
 * all-zero IV. Encrypting the block {@code nonce | 0} in front of the payload yields {@code E_K(nonce)},
 * which is then the IV chained into the payload: exactly CBC with the unpredictable IV that NIST
 * SP 800-38A Appendix C recommends (the forward cipher applied to a nonce under the same key). Decryption
 * runs the zero-IV cipher over the ciphertext and XORs the packet's IV into the first block.
 */
public final class JcaAesCbcHmacCipher implements EspPacketCipher {

    private static final int BLOCK = 16;

    private final Cipher cbc;
    private final TruncatedHmac hmac;
    private final WipeableSecretKey cipherKey;
    private final boolean esn;
    private final boolean encrypting;
    /** The JDK's CBC copies its input when input and output overlap; working out of place avoids that. */
    private byte[] scratch = new byte[2048];

    /**
     * @param key           16 or 32 bytes AES key
     * @param macAlgorithm  JCA name: HmacSHA256, HmacSHA384 or HmacSHA512
     * @param integrityKey  HMAC key (RFC 4868 §2.1.1: as long as the hash output)
     * @param icvLength     truncated ICV length (16, 24, 32)
     * @param esn           append the ESN high bits to the ICV input
     * @param encrypting    true for an outbound SA
     */
    public JcaAesCbcHmacCipher(byte[] key, String macAlgorithm, byte[] integrityKey, int icvLength,
                               boolean esn, boolean encrypting) {
        if (key.length != 16 && key.length != 32) {
            throw new IllegalArgumentException("AES-CBC key must be 16 or 32 bytes");
        }
        this.cipherKey = new WipeableSecretKey("AES", key);
        try {
            cbc = Cipher.getInstance("AES/CBC/NoPadding");
            cbc.init(encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, cipherKey, new IvParameterSpec(new byte[BLOCK]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC not available", e);
        }
        this.hmac = new TruncatedHmac(macAlgorithm, integrityKey, icvLength);
        this.esn = esn;
        this.encrypting = encrypting;
    }

    @Override
    public int ivLength() {
        return BLOCK;
    }

    @Override
    public int icvLength() {
        return hmac.icvLength();
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    public void seal(byte[] buf, int espOffset, int payloadLength, long sequenceNonce, int seqHigh) {
        if (!encrypting) {
            throw new IllegalStateException("inbound cipher cannot encrypt");
        }
        int ivOffset = espOffset + 8;
        Bytes.putLong(buf, ivOffset, sequenceNonce);
        Bytes.putLong(buf, ivOffset + 8, 0);
        try {
            byte[] work = scratch(BLOCK + payloadLength);
            cbc.doFinal(buf, ivOffset, BLOCK + payloadLength, work, 0);
            System.arraycopy(work, 0, buf, ivOffset, BLOCK + payloadLength);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ESP encryption failed", e);
        }
        int authenticatedLength = 8 + BLOCK + payloadLength;
        authenticate(buf, espOffset, authenticatedLength, seqHigh);
        hmac.finish(buf, espOffset + authenticatedLength);
    }

    @Override
    public boolean open(byte[] in, int espOffset, int ciphertextLength, byte[] out, int outOffset, int seqHigh) {
        if (encrypting) {
            throw new IllegalStateException("outbound cipher cannot decrypt");
        }
        int authenticatedLength = 8 + BLOCK + ciphertextLength;
        authenticate(in, espOffset, authenticatedLength, seqHigh);
        if (!hmac.finishAndVerify(in, espOffset + authenticatedLength)) {
            return false;
        }
        int ivOffset = espOffset + 8;
        try {
            if (in == out) {
                byte[] work = scratch(ciphertextLength);
                cbc.doFinal(in, ivOffset + BLOCK, ciphertextLength, work, 0);
                System.arraycopy(work, 0, out, outOffset, ciphertextLength);
            } else {
                cbc.doFinal(in, ivOffset + BLOCK, ciphertextLength, out, outOffset);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ESP decryption failed", e);
        }
        // The zero-IV cipher left D(C1) in the first block; XOR in the real IV (still intact before it).
        for (int i = 0; i < BLOCK; i++) {
            out[outOffset + i] ^= in[ivOffset + i];
        }
        return true;
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Integer.highestOneBit(length) << 1];
        }
        return scratch;
    }

    /** ICV input: the packet from SPI to the end of the ciphertext, then the ESN high bits if used. */
    private void authenticate(byte[] buf, int offset, int length, int seqHigh) {
        hmac.update(buf, offset, length);
        if (esn) {
            hmac.updateInt(seqHigh);
        }
    }

    @Override
    public void close() {
        cipherKey.destroy();
        hmac.close();
        java.util.Arrays.fill(scratch, (byte) 0);
    }
}
