package org.mobilevpn.esp;

/**
 * ESP padding (RFC 4303 §2.4): the plaintext (payload, padding, pad length, next header) is aligned to
 * the cipher block size and at least 4 bytes; padding bytes are 1, 2, 3, ... (the default scheme), and
 * the receiver checks them.
 */
final class EspPadding {

    private EspPadding() {
    }

    /** Plaintext length (payload + padding + 2) for a payload, aligned to {@code blockSize}. */
    static int paddedLength(int payloadLength, int blockSize) {
        int align = Math.max(4, blockSize);
        return (payloadLength + 2 + align - 1) / align * align;
    }

    /** Writes the padding bytes, pad length and next header after the payload. */
    static void writeTrailer(byte[] buf, int payloadEnd, int paddedEnd, int nextHeader) {
        int padLength = paddedEnd - payloadEnd - 2;
        for (int i = 0; i < padLength; i++) {
            buf[payloadEnd + i] = (byte) (i + 1);
        }
        buf[paddedEnd - 2] = (byte) padLength;
        buf[paddedEnd - 1] = (byte) nextHeader;
    }

    /** True if the {@code padLength} bytes before {@code padEnd} are 1, 2, 3, ... */
    static boolean validPadding(byte[] buf, int padEnd, int padLength) {
        int start = padEnd - padLength;
        int diff = 0;
        for (int i = 0; i < padLength; i++) {
            diff |= (buf[start + i] & 0xFF) ^ (i + 1);
        }
        return diff == 0;
    }
}
