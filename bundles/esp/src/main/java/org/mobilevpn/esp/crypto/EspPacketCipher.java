package org.mobilevpn.esp.crypto;

/**
 * The cryptographic part of one ESP SA (RFC 4303 §3.3.2, §3.4.4): protects and checks the bytes of an
 * ESP packet held in a byte array. One instance per SA and direction, used by one thread at a time; it
 * reuses its cipher objects, so a packet costs no allocation of ours.
 *
 * <p>ESP packet layout at {@code espOffset}: SPI (4), sequence number low 32 bits (4), IV
 * ({@link #ivLength()}), payload incl. padding, pad length and next header, ICV ({@link #icvLength()}).
 */
public interface EspPacketCipher extends AutoCloseable {

    /** Bytes of explicit IV in each packet. */
    int ivLength();

    /** Bytes of ICV at the end of each packet. */
    int icvLength();

    /** Alignment of the encrypted payload (cipher block size, at least 4, RFC 4303 §2.4). */
    int blockSize();

    /**
     * Writes the IV, encrypts the payload in place and appends the ICV. SPI and sequence number must be
     * in place already; they are authenticated, as are the ESN high bits when the SA uses ESN.
     *
     * @param buf           the array holding the packet
     * @param espOffset     where the SPI starts
     * @param payloadLength plaintext bytes (inner packet + padding + pad length + next header), aligned
     * @param nonce         never repeats under this key: the sequence number; AEAD ciphers send it as
     *                      the explicit IV (RFC 4106 §3.1, RFC 7634 §2), CBC derives its IV from it
     * @param seqHigh       high 32 bits of the 64-bit sequence number (used only with ESN)
     */
    void seal(byte[] buf, int espOffset, int payloadLength, long nonce, int seqHigh);

    /**
     * Verifies the ICV and, only if it matches, decrypts the payload. The input is not modified unless
     * {@code out == in} (in place, where {@code outOffset} must be the ciphertext's own offset
     * {@code espOffset + 8 + ivLength()}).
     *
     * @param in               the array holding the received packet
     * @param espOffset        where the SPI starts
     * @param ciphertextLength bytes between IV and ICV
     * @param out              where the plaintext goes (may be {@code in})
     * @param outOffset        offset of the plaintext in {@code out}
     * @param seqHigh          high 32 bits of the sequence number as inferred by the replay window (ESN)
     * @return false if the ICV does not match (nothing usable was written)
     */
    boolean open(byte[] in, int espOffset, int ciphertextLength, byte[] out, int outOffset, int seqHigh);

    /** Wipes the key copies this object holds. */
    @Override
    void close();
}
