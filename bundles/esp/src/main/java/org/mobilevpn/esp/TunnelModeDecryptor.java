package org.mobilevpn.esp;

import java.nio.ByteBuffer;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.esp.crypto.Bytes;
import org.mobilevpn.esp.crypto.EspPacketCipher;

/**
 * Inbound ESP tunnel mode (RFC 4303 §3.4): length and SPI checks, the anti-replay pre-check
 * (§3.4.3), ICV verification and decryption (§3.4.4), padding and next-header checks (§2.4, §2.6),
 * and only then the replay window update. Dummy packets (next header 59) are dropped silently.
 */
final class TunnelModeDecryptor extends EspTransformBase implements EspDecryptor {

    private final AntiReplayWindow replayWindow;
    /** Inner packet length of the last packet that came out OK (set by {@link #open}). */
    private int innerLength;

    TunnelModeDecryptor(EspSa sa, EspPacketCipher cipher, EspSaListener listener) {
        super(sa, cipher, listener);
        this.replayWindow = new AntiReplayWindow(sa.replayWindowSize(), sa.extendedSequenceNumbers(),
                sa.initialSequenceNumber());
    }

    @Override
    public int maxOverhead() {
        return ESP_HEADER_LENGTH + ivLength + alignment - 1 + 2 + icvLength;
    }

    @Override
    public long sequenceNumber() {
        return replayWindow.highest();
    }

    @Override
    public EspStatus decrypt(ByteBuffer esp, ByteBuffer inner) {
        int start = esp.position();
        int length = esp.remaining();
        EspStatus refused = refuse(esp, start, length);
        if (refused != null) {
            return counted(refused);
        }
        int ciphertextLength = ciphertextLength(length);
        if (inner.remaining() < ciphertextLength) {
            return counted(EspStatus.BUFFER_TOO_SMALL);
        }
        byte[] in;
        int inOffset;
        if (esp.hasArray()) {
            in = esp.array();
            inOffset = esp.arrayOffset() + start;
        } else {
            in = scratchA(length);
            inOffset = 0;
            esp.get(start, in, 0, length);
        }
        byte[] out;
        int outOffset;
        if (inner.hasArray()) {
            out = inner.array();
            outOffset = inner.arrayOffset() + inner.position();
        } else {
            out = scratchB(ciphertextLength);
            outOffset = 0;
        }
        EspStatus status = open(in, inOffset, ciphertextLength, out, outOffset);
        if (status != EspStatus.OK) {
            return counted(status);
        }
        if (!inner.hasArray()) {
            inner.put(inner.position(), out, 0, innerLength);
        }
        inner.position(inner.position() + innerLength);
        esp.position(esp.limit());
        return EspStatus.OK;
    }

    @Override
    public EspStatus decryptInPlace(ByteBuffer packet) {
        int start = packet.position();
        int length = packet.remaining();
        EspStatus refused = refuse(packet, start, length);
        if (refused != null) {
            return counted(refused);
        }
        int ciphertextLength = ciphertextLength(length);
        int payloadOffset = ESP_HEADER_LENGTH + ivLength;
        EspStatus status;
        if (packet.hasArray()) {
            byte[] array = packet.array();
            int offset = packet.arrayOffset() + start;
            status = open(array, offset, ciphertextLength, array, offset + payloadOffset);
        } else {
            byte[] work = scratchA(length);
            packet.get(start, work, 0, length);
            status = open(work, 0, ciphertextLength, work, payloadOffset);
            if (status == EspStatus.OK) {
                packet.put(start + payloadOffset, work, payloadOffset, innerLength);
            }
        }
        if (status != EspStatus.OK) {
            return counted(status);
        }
        packet.limit(start + payloadOffset + innerLength);
        packet.position(start + payloadOffset);
        return EspStatus.OK;
    }

    private int ciphertextLength(int packetLength) {
        return packetLength - ESP_HEADER_LENGTH - ivLength - icvLength;
    }

    /** Checks that need no crypto: state, length and alignment, SPI. Null if the packet may proceed. */
    private EspStatus refuse(ByteBuffer packet, int start, int length) {
        if (closed()) {
            return EspStatus.CLOSED;
        }
        if (lifetime.hardExpired()) {
            return EspStatus.LIFETIME_EXPIRED;
        }
        int ciphertextLength = ciphertextLength(length);
        if (ciphertextLength < alignment || ciphertextLength % alignment != 0) {
            return EspStatus.TRUNCATED;
        }
        if (getIntBigEndian(packet, start) != spi) {
            return EspStatus.WRONG_SPI;
        }
        return null;
    }

    /** Replay pre-check, ICV + decryption, trailer checks, window update. Sets {@link #innerLength}. */
    private EspStatus open(byte[] in, int offset, int ciphertextLength, byte[] out, int outOffset) {
        long seq = replayWindow.infer(Bytes.getInt(in, offset + 4));
        EspStatus fresh = replayWindow.check(seq);
        if (fresh != EspStatus.OK) {
            return fresh;
        }
        if (!cipher.open(in, offset, ciphertextLength, out, outOffset, (int) (seq >>> 32))) {
            return EspStatus.ICV_FAIL;
        }
        // Authentic from here on: the window moves even if the sender's trailer is odd (no replays of it).
        replayWindow.accept(seq);
        int trailerEnd = outOffset + ciphertextLength;
        int nextHeader = out[trailerEnd - 1] & 0xFF;
        int padLength = out[trailerEnd - 2] & 0xFF;
        if (padLength + 2 > ciphertextLength || !EspPadding.validPadding(out, trailerEnd - 2, padLength)) {
            return EspStatus.BAD_PADDING;
        }
        if (nextHeader == NEXT_HEADER_NONE) {
            return EspStatus.DUMMY;
        }
        if (nextHeader != NEXT_HEADER_IPV4 && nextHeader != NEXT_HEADER_IPV6) {
            return EspStatus.BAD_NEXT_HEADER;
        }
        innerLength = ciphertextLength - padLength - 2;
        counters.ok(innerLength);
        lifetime.record(this, innerLength);
        return EspStatus.OK;
    }

    private EspStatus counted(EspStatus status) {
        counters.record(status);
        return status;
    }
}
