package org.mobilevpn.api.esp;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Inbound ESP in tunnel mode (RFC 4303 §3.4): checks the anti-replay window, verifies the ICV,
 * decrypts, checks padding and next header, and only then moves the replay window. Allocates nothing
 * per packet and never throws for a bad packet: the status says why it was dropped.
 *
 * <p>The ESP packet starts at the SPI (the UDP header and, for port 4500, the classification of
 * keepalives and non-ESP markers are the caller's job, RFC 3948 §2).
 */
@ProviderType
public interface EspDecryptor extends EspTransform {

    /** Most bytes of ESP header, IV and trailer around the inner packet (useful for sizing buffers). */
    int maxOverhead();

    /**
     * Buffer to buffer: reads the ESP packet from {@code esp} (position..limit) and writes the inner
     * packet at {@code inner.position()}. On {@link EspStatus#OK} {@code esp.position()} moves to its
     * limit and {@code inner.position()} past the inner packet. On any other status no positions change
     * (bytes in {@code inner} beyond its position may have been overwritten). The buffers must not overlap.
     */
    EspStatus decrypt(ByteBuffer esp, ByteBuffer inner);

    /**
     * In place: the ESP packet lies at {@code packet.position()..limit()}. On {@link EspStatus#OK} the
     * position and limit frame the inner IP packet (inside the same bytes, after the ESP header and IV).
     * On any other status position and limit are unchanged (the content may have been overwritten).
     */
    EspStatus decryptInPlace(ByteBuffer packet);
}
