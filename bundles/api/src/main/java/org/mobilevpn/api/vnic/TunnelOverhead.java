package org.mobilevpn.api.vnic;

/**
 * Bytes an inner packet grows by when carried in ESP tunnel mode, so the virtual NIC's MTU can
 * be derived from the path MTU (RFC 4303 §2: SPI, sequence number, IV, padding, pad length,
 * next header, ICV; RFC 3948 §2.1: the UDP header of ESP-in-UDP).
 *
 * @param outerIpHeader 20 for an IPv4 outer header, 40 for IPv6
 * @param udpEncapsulation whether ESP is carried in UDP (8 more bytes)
 * @param ivLength explicit IV bytes of the transform (8 for GCM and ChaCha20-Poly1305, 16 for CBC)
 * @param icvLength integrity check value bytes (16 for AEADs, 16/24/32 for HMAC-SHA2-256/384/512)
 * @param blockSize padding alignment of the cipher (4 for AEADs with stream semantics, 16 for AES-CBC)
 */
public record TunnelOverhead(int outerIpHeader, boolean udpEncapsulation, int ivLength, int icvLength, int blockSize) {

    public TunnelOverhead {
        if (outerIpHeader != 20 && outerIpHeader != 40) {
            throw new IllegalArgumentException("outer IP header must be 20 or 40 bytes: " + outerIpHeader);
        }
        if (ivLength < 0 || icvLength < 0 || blockSize < 4 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("bad transform sizes");
        }
    }

    /**
     * The largest inner packet whose ESP packet still fits {@code pathMtu}: the payload, pad
     * length and next header bytes are padded up to the block size (RFC 4303 §2.4), so the
     * room left after the fixed overhead is rounded down to the block size, minus those 2 bytes.
     */
    public int innerMtu(int pathMtu) {
        int fixed = outerIpHeader + (udpEncapsulation ? 8 : 0) + 8 + ivLength + icvLength;
        int room = pathMtu - fixed;
        int mtu = (room & -blockSize) - 2;
        if (mtu < 68) {
            throw new IllegalArgumentException("path MTU " + pathMtu + " leaves no room for an inner packet");
        }
        return mtu;
    }
}
