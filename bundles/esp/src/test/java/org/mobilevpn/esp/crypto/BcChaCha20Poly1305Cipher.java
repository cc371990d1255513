package org.mobilevpn.esp.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A candidate kept for comparison (tests and benchmarks only; the bundle uses {@link ChaCha20Poly1305Cipher}):
 * ChaCha20-Poly1305 for ESP (RFC 7634) through Bouncy Castle's lightweight {@link ChaCha20Poly1305}
 * (RFC 8439): same nonce, AAD and ICV layout as {@link JcaAeadCipher}. The key is handed over once;
 * later inits pass a null key so BC keeps its key schedule.
 */
public final class BcChaCha20Poly1305Cipher implements EspPacketCipher {

    private static final int IV_LENGTH = 8;
    private static final int TAG_LENGTH = 16;

    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
    private final KeyParameter key;
    private final byte[] nonce = new byte[12];
    private final boolean encrypting;
    private final AeadAssociatedData aad;
    private boolean keyLoaded;
    /** BC copies its input when input and output overlap; working out of place avoids that. */
    private byte[] scratch = new byte[2048];

    /**
     * @param key        32 bytes
     * @param salt       4 bytes (RFC 7634 §2)
     * @param esn        include the high 32 sequence bits in the AAD (RFC 7634 §2.1)
     * @param encrypting true for an outbound SA
     */
    public BcChaCha20Poly1305Cipher(byte[] key, byte[] salt, boolean esn, boolean encrypting) {
        if (key.length != 32 || salt.length != 4) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 32-byte key and a 4-byte salt");
        }
        this.key = new KeyParameter(key);
        System.arraycopy(salt, 0, nonce, 0, 4);
        this.encrypting = encrypting;
        this.aad = new AeadAssociatedData(esn);
    }

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
        if (!encrypting) {
            throw new IllegalStateException("inbound cipher cannot encrypt");
        }
        int ivOffset = espOffset + 8;
        int payloadOffset = ivOffset + IV_LENGTH;
        Bytes.putLong(buf, ivOffset, sequenceNonce);
        Bytes.putLong(nonce, 4, sequenceNonce);
        init(buf, espOffset, seqHigh);
        byte[] work = scratch(payloadLength + TAG_LENGTH);
        int written = aead.processBytes(buf, payloadOffset, payloadLength, work, 0);
        try {
            written += aead.doFinal(work, written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("ESP encryption failed", e);
        }
        System.arraycopy(work, 0, buf, payloadOffset, written);
    }

    @Override
    public boolean open(byte[] in, int espOffset, int ciphertextLength, byte[] out, int outOffset, int seqHigh) {
        if (encrypting) {
            throw new IllegalStateException("outbound cipher cannot decrypt");
        }
        int ivOffset = espOffset + 8;
        System.arraycopy(in, ivOffset, nonce, 4, IV_LENGTH);
        init(in, espOffset, seqHigh);
        byte[] target = in == out ? scratch(ciphertextLength) : out;
        int targetOffset = in == out ? 0 : outOffset;
        int written = aead.processBytes(in, ivOffset + IV_LENGTH, ciphertextLength + TAG_LENGTH, target, targetOffset);
        try {
            aead.doFinal(target, targetOffset + written);
        } catch (InvalidCipherTextException e) {
            return false;
        }
        if (target != out) {
            System.arraycopy(target, 0, out, outOffset, ciphertextLength);
        }
        return true;
    }

    private void init(byte[] packet, int espOffset, int seqHigh) {
        aead.init(encrypting, new AEADParameters(keyLoaded ? null : key, TAG_LENGTH * 8, nonce));
        keyLoaded = true;
        if (aad.separate()) {
            aead.processAADBytes(aad.fill(packet, espOffset, seqHigh), 0, aad.length());
        } else {
            aead.processAADBytes(packet, espOffset, 8);
        }
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Integer.highestOneBit(length) << 1];
        }
        return scratch;
    }

    @Override
    public void close() {
        Arrays.fill(scratch, (byte) 0);
        Arrays.fill(key.getKey(), (byte) 0);
        Arrays.fill(nonce, (byte) 0);
        aead.reset();
    }
}
