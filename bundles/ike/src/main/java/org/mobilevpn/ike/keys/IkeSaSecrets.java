package org.mobilevpn.ike.keys;

import java.util.Arrays;
import org.mobilevpn.api.ike.IkeSaKeys;
import org.mobilevpn.api.ipsec.SecretBytes;

/**
 * The SK_* keys of one IKE SA (RFC 7296 §2.14), held by the engine while the SA lives; {@link #close()}
 * wipes them. "i" keys protect what the IKE SA's initiator sends.
 */
public final class IkeSaSecrets implements AutoCloseable {
    private final byte[] skD;
    private final byte[] skAi;
    private final byte[] skAr;
    private final byte[] skEi;
    private final byte[] skEr;
    private final byte[] skPi;
    private final byte[] skPr;

    IkeSaSecrets(byte[] skD, byte[] skAi, byte[] skAr, byte[] skEi, byte[] skEr, byte[] skPi, byte[] skPr) {
        this.skD = skD;
        this.skAi = skAi;
        this.skAr = skAr;
        this.skEi = skEi;
        this.skEr = skEr;
        this.skPi = skPi;
        this.skPr = skPr;
    }

    public byte[] skD() { return skD; }
    public byte[] skAi() { return skAi; }
    public byte[] skAr() { return skAr; }
    public byte[] skEi() { return skEi; }
    public byte[] skEr() { return skEr; }
    public byte[] skPi() { return skPi; }
    public byte[] skPr() { return skPr; }

    /** Independent copies for a listener, which owns (and wipes) them. */
    public IkeSaKeys toApi() {
        return new IkeSaKeys(copy(skD), copy(skAi), copy(skAr), copy(skEi), copy(skEr), copy(skPi), copy(skPr));
    }

    /** Copies of the keys an exported IKE SA record carries (the record keeps and wipes its own). */
    public static IkeSaSecrets fromApi(IkeSaKeys keys) {
        return new IkeSaSecrets(keys.skD().toByteArray(), keys.skAi().toByteArray(), keys.skAr().toByteArray(),
                keys.skEi().toByteArray(), keys.skEr().toByteArray(), keys.skPi().toByteArray(),
                keys.skPr().toByteArray());
    }

    private static SecretBytes copy(byte[] b) {
        return b.length == 0 ? SecretBytes.empty() : SecretBytes.copyOf(b);
    }

    @Override
    public void close() {
        for (byte[] b : new byte[][] {skD, skAi, skAr, skEi, skEr, skPi, skPr}) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
