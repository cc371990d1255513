package org.mobilevpn.api.esp;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Outbound ESP in tunnel mode (RFC 4303 §3.3): turns an inner IPv4/IPv6 packet into an ESP packet
 * (SPI, sequence number, IV, ciphertext, padding, pad length, next header, ICV). Allocates nothing per
 * packet. Writes no UDP header; with UDP encapsulation the ESP packet is the UDP payload.
 *
 * <p>Layout: {@code [ESP header + IV: headroom()] [inner packet, encrypted] [trailer <= maxTrailer()]}.
 */
@ProviderType
public interface EspEncryptor extends EspTransform {

    /** Bytes of ESP header (SPI + sequence number) and IV in front of the encrypted payload. */
    int headroom();

    /** Most bytes of padding, pad length, next header and ICV after the payload. */
    int maxTrailer();

    /** Exact ESP packet length for an inner packet of this length. */
    int outputLength(int innerLength);

    /**
     * Buffer to buffer: reads the inner packet from {@code inner} (position..limit) and writes the ESP
     * packet at {@code esp.position()}. On {@link EspStatus#OK} {@code inner.position()} moves to its
     * limit and {@code esp.position()} moves past the ESP packet; otherwise neither buffer's position
     * changes and the packet is counted under the returned status. The buffers must not overlap.
     */
    EspStatus encrypt(ByteBuffer inner, ByteBuffer esp);

    /**
     * In place: the inner packet lies at {@code packet.position()..limit()} with at least
     * {@link #headroom()} bytes before the position and {@link #maxTrailer()} bytes after the limit
     * (up to capacity). On {@link EspStatus#OK} position and limit frame the ESP packet; otherwise they
     * are unchanged.
     */
    EspStatus encryptInPlace(ByteBuffer packet);
}
