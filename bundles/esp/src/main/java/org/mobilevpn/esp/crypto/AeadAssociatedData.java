package org.mobilevpn.esp.crypto;

/**
 * The AAD of combined-mode ESP: SPI and sequence number, with ESN the high 32 bits between them
 * (RFC 4106 §5, RFC 7634 §2.1). Without ESN the 8 bytes are read straight from the packet; with ESN a
 * reused 12-byte array is filled per packet.
 */
final class AeadAssociatedData {

    private final boolean esn;
    private final byte[] esnAad = new byte[12];

    AeadAssociatedData(boolean esn) {
        this.esn = esn;
    }

    /** True when {@link #fill} must be used instead of the packet's own header bytes. */
    boolean separate() {
        return esn;
    }

    int length() {
        return esn ? 12 : 8;
    }

    /** Builds SPI | seqHigh | seqLow from the packet header; only for ESN. */
    byte[] fill(byte[] packet, int espOffset, int seqHigh) {
        System.arraycopy(packet, espOffset, esnAad, 0, 4);
        Bytes.putInt(esnAad, 4, seqHigh);
        System.arraycopy(packet, espOffset + 4, esnAad, 8, 4);
        return esnAad;
    }
}
