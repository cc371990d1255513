package org.mobilevpn.esp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.mobilevpn.api.esp.EspCounters;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspTransform;
import org.mobilevpn.api.esp.LifetimeState;
import org.mobilevpn.esp.crypto.EspPacketCipher;

/**
 * What both directions share: identity, cipher, counters, lifetime, and reusable scratch arrays for
 * direct buffers (the ciphers work on arrays; a heap buffer's own array is used without copying).
 */
abstract class EspTransformBase implements EspTransform {

    /** ESP header: SPI and low 32 bits of the sequence number (RFC 4303 §2). */
    static final int ESP_HEADER_LENGTH = 8;
    /** IPv4 in ESP (IANA protocol number 4), RFC 4303 §2.6. */
    static final int NEXT_HEADER_IPV4 = 4;
    /** IPv6 in ESP (IANA protocol number 41). */
    static final int NEXT_HEADER_IPV6 = 41;
    /** "No next header": a dummy packet (RFC 4303 §2.6). */
    static final int NEXT_HEADER_NONE = 59;

    final int spi;
    final int childSaId;
    final EspPacketCipher cipher;
    final LiveEspCounters counters = new LiveEspCounters();
    final LifetimeTracker lifetime;
    final int ivLength;
    final int icvLength;
    final int alignment;
    private volatile boolean closed;
    private byte[] scratchA = new byte[2048];
    private byte[] scratchB = new byte[2048];

    EspTransformBase(EspSa sa, EspPacketCipher cipher, EspSaListener listener) {
        this.spi = sa.spi();
        this.childSaId = sa.childSaId();
        this.cipher = cipher;
        this.lifetime = new LifetimeTracker(sa.lifetime(), listener == null ? EspSaListener.NONE : listener);
        this.ivLength = cipher.ivLength();
        this.icvLength = cipher.icvLength();
        this.alignment = Math.max(4, cipher.blockSize());
    }

    @Override
    public int spi() {
        return spi;
    }

    @Override
    public int childSaId() {
        return childSaId;
    }

    @Override
    public EspCounters counters() {
        return counters;
    }

    @Override
    public LifetimeState lifetimeState() {
        return lifetime.state();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        cipher.close();
        Arrays.fill(scratchA, (byte) 0);
        Arrays.fill(scratchB, (byte) 0);
    }

    /** A scratch array of at least {@code length} bytes; grows (rarely) to the largest packet seen. */
    byte[] scratchA(int length) {
        if (scratchA.length < length) {
            scratchA = new byte[Integer.highestOneBit(length) << 1];
        }
        return scratchA;
    }

    /** A second scratch array, for buffer-to-buffer operations on direct buffers. */
    byte[] scratchB(int length) {
        if (scratchB.length < length) {
            scratchB = new byte[Integer.highestOneBit(length) << 1];
        }
        return scratchB;
    }

    /** Reads a big-endian int at an absolute index whatever the buffer's byte order. */
    static int getIntBigEndian(ByteBuffer buffer, int index) {
        return (buffer.get(index) & 0xFF) << 24 | (buffer.get(index + 1) & 0xFF) << 16
                | (buffer.get(index + 2) & 0xFF) << 8 | (buffer.get(index + 3) & 0xFF);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[spi=0x" + String.format("%08x", spi) + ", childSaId=" + childSaId
                + ", " + lifetime.state() + ", " + counters + "]";
    }
}
