package org.mobilevpn.esp.bench;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.mobilevpn.esp.crypto.Bytes;
import org.mobilevpn.esp.crypto.EspPacketCipher;

/**
 * A candidate that lost the measurement: RFC 4106 AES-GCM through Bouncy Castle's lightweight GCM.
 * Kept with the benchmarks so the comparison can be rerun; not part of the bundle. No ESN.
 */
final class BcAesGcmCipher implements EspPacketCipher {

    private final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    private final KeyParameter key;
    private final byte[] nonce = new byte[12];
    private final boolean encrypting;
    private boolean keyLoaded;

    BcAesGcmCipher(byte[] key, byte[] salt, boolean encrypting) {
        this.key = new KeyParameter(key);
        System.arraycopy(salt, 0, nonce, 0, 4);
        this.encrypting = encrypting;
    }

    @Override
    public int ivLength() {
        return 8;
    }

    @Override
    public int icvLength() {
        return 16;
    }

    @Override
    public int blockSize() {
        return 4;
    }

    @Override
    public void seal(byte[] buf, int espOffset, int payloadLength, long sequenceNonce, int seqHigh) {
        Bytes.putLong(buf, espOffset + 8, sequenceNonce);
        Bytes.putLong(nonce, 4, sequenceNonce);
        init(buf, espOffset);
        int at = espOffset + 16;
        int n = gcm.processBytes(buf, at, payloadLength, buf, at);
        try {
            gcm.doFinal(buf, at + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean open(byte[] in, int espOffset, int ciphertextLength, byte[] out, int outOffset, int seqHigh) {
        System.arraycopy(in, espOffset + 8, nonce, 4, 8);
        init(in, espOffset);
        int n = gcm.processBytes(in, espOffset + 16, ciphertextLength + 16, out, outOffset);
        try {
            gcm.doFinal(out, outOffset + n);
            return true;
        } catch (InvalidCipherTextException e) {
            return false;
        }
    }

    private void init(byte[] packet, int espOffset) {
        gcm.init(encrypting, new AEADParameters(keyLoaded ? null : key, 128, nonce));
        keyLoaded = true;
        gcm.processAADBytes(packet, espOffset, 8);
    }

    @Override
    public void close() {
    }
}
