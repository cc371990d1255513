package org.mobilevpn.esp;

import java.nio.ByteBuffer;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.LifetimeLimit;
import org.mobilevpn.esp.crypto.Bytes;
import org.mobilevpn.esp.crypto.EspPacketCipher;

/**
 * Outbound ESP tunnel mode (RFC 4303 §3.1.2, §3.3): the whole inner IP packet becomes the payload, next
 * header 4 (IPv4) or 41 (IPv6), default padding (§2.4), a fresh sequence number per packet (§3.3.3).
 */
final class TunnelModeEncryptor extends EspTransformBase implements EspEncryptor {

    private final OutboundSequenceCounter sequence;

    TunnelModeEncryptor(EspSa sa, EspPacketCipher cipher, EspSaListener listener) {
        super(sa, cipher, listener);
        this.sequence = new OutboundSequenceCounter(sa.extendedSequenceNumbers(), sa.initialSequenceNumber());
    }

    @Override
    public int headroom() {
        return ESP_HEADER_LENGTH + ivLength;
    }

    @Override
    public int maxTrailer() {
        return alignment - 1 + 2 + icvLength;
    }

    @Override
    public int outputLength(int innerLength) {
        return headroom() + EspPadding.paddedLength(innerLength, alignment) + icvLength;
    }

    @Override
    public long sequenceNumber() {
        return sequence.last();
    }

    @Override
    public EspStatus encrypt(ByteBuffer inner, ByteBuffer esp) {
        int innerLength = inner.remaining();
        EspStatus refused = refuse(inner, inner.position(), innerLength);
        if (refused != null) {
            return counted(refused);
        }
        int espLength = outputLength(innerLength);
        if (esp.remaining() < espLength) {
            return counted(EspStatus.BUFFER_TOO_SMALL);
        }
        int espStart = esp.position();
        byte[] work;
        int offset;
        if (esp.hasArray()) {
            work = esp.array();
            offset = esp.arrayOffset() + espStart;
        } else {
            work = scratchA(espLength);
            offset = 0;
        }
        inner.get(inner.position(), work, offset + headroom(), innerLength);
        seal(work, offset, innerLength, nextHeader(inner, inner.position()));
        if (!esp.hasArray()) {
            esp.put(espStart, work, 0, espLength);
        }
        inner.position(inner.limit());
        esp.position(espStart + espLength);
        return EspStatus.OK;
    }

    @Override
    public EspStatus encryptInPlace(ByteBuffer packet) {
        int innerStart = packet.position();
        int innerLength = packet.remaining();
        EspStatus refused = refuse(packet, innerStart, innerLength);
        if (refused != null) {
            return counted(refused);
        }
        int espStart = innerStart - headroom();
        int espLength = outputLength(innerLength);
        if (espStart < 0 || espStart + espLength > packet.capacity()) {
            return counted(EspStatus.BUFFER_TOO_SMALL);
        }
        int nextHeader = nextHeader(packet, innerStart);
        if (packet.hasArray()) {
            seal(packet.array(), packet.arrayOffset() + espStart, innerLength, nextHeader);
            packet.limit(espStart + espLength);
        } else {
            byte[] work = scratchA(espLength);
            packet.get(innerStart, work, headroom(), innerLength);
            seal(work, 0, innerLength, nextHeader);
            packet.limit(espStart + espLength); // absolute puts are bounded by the limit
            packet.put(espStart, work, 0, espLength);
        }
        packet.position(espStart);
        return EspStatus.OK;
    }

    /** Why this packet cannot be sent, or null if it can. Checks run in order of severity. */
    private EspStatus refuse(ByteBuffer inner, int start, int length) {
        if (closed()) {
            return EspStatus.CLOSED;
        }
        if (sequence.exhausted()) {
            return EspStatus.SEQUENCE_EXHAUSTED;
        }
        if (lifetime.hardExpired()) {
            return EspStatus.LIFETIME_EXPIRED;
        }
        if (length == 0 || nextHeader(inner, start) < 0) {
            return EspStatus.BAD_NEXT_HEADER;
        }
        return null;
    }

    /** 4 for IPv4, 41 for IPv6, from the version nibble; -1 for anything else. */
    private static int nextHeader(ByteBuffer packet, int start) {
        int version = (packet.get(start) & 0xF0) >>> 4;
        return version == 4 ? NEXT_HEADER_IPV4 : version == 6 ? NEXT_HEADER_IPV6 : -1;
    }

    /** Builds the ESP packet around the payload already at {@code offset + headroom()}. */
    private void seal(byte[] work, int offset, int innerLength, int nextHeader) {
        long seq = sequence.next();
        Bytes.putInt(work, offset, spi);
        Bytes.putInt(work, offset + 4, (int) seq);
        int payloadStart = offset + headroom();
        int paddedLength = EspPadding.paddedLength(innerLength, alignment);
        EspPadding.writeTrailer(work, payloadStart + innerLength, payloadStart + paddedLength, nextHeader);
        cipher.seal(work, offset, paddedLength, seq, (int) (seq >>> 32));
        counters.ok(innerLength);
        lifetime.record(this, innerLength);
        if (sequence.exhausted()) {
            lifetime.hard(this, LifetimeLimit.SEQUENCE_NUMBERS);
        } else if (sequence.pastSoftThreshold()) {
            lifetime.soft(this, LifetimeLimit.SEQUENCE_NUMBERS);
        }
    }

    private EspStatus counted(EspStatus status) {
        counters.record(status);
        return status;
    }
}
