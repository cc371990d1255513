package org.mobilevpn.api.esp;

import java.util.Objects;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.EspKeys;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;

/**
 * One ESP security association as data (RFC 4303 §2, RFC 4301 §4.4.2): what the IKE engine negotiated,
 * enough for any esp implementation to build a transform from. The record owns its {@link EspKeys};
 * {@link #close()} wipes them. {@link #toString()} never shows key bytes.
 *
 * @param childSaId               stable id of the Child SA this SA belongs to, unchanged across rekeys
 *                                (like strongSwan's reqid); SPD rules refer to it
 * @param spi                     the SPI as carried in the ESP header (RFC 4303 §2.1); for an inbound SA
 *                                the one we chose, for an outbound SA the peer's. 1..255 are reserved
 * @param direction               inbound (decrypt) or outbound (encrypt)
 * @param encryption              the cipher
 * @param integrity               the integrity algorithm; {@link IntegrityAlgorithm#NONE} exactly when AEAD
 * @param keys                    key material matching the algorithms' lengths
 * @param extendedSequenceNumbers 64-bit sequence numbers (RFC 4303 §2.2.1) as negotiated
 * @param replayWindowSize        inbound anti-replay window in packets, 0 (off) or 1..{@value #MAX_REPLAY_WINDOW};
 *                                ignored outbound
 * @param udpEncapsulation        the RFC 3948 ports, or null for plain ESP (IP protocol 50)
 * @param lifetime                byte and packet limits
 * @param initialSequenceNumber   outbound: the last sequence number already sent (0 for a new SA), so a
 *                                rebuilt transform continues where a replaced one stopped. The sequence
 *                                number is the AEAD nonce (IV) of every packet: rebuilding an outbound
 *                                transform of a live SA from 0 would reuse nonces under the same key,
 *                                which breaks AES-GCM and ChaCha20-Poly1305; pass the replaced
 *                                transform's {@link EspTransform#sequenceNumber()} (or rekey);
 *                                inbound: the highest sequence number already accepted (0 for a new SA),
 *                                everything at or below it is treated as already seen
 */
public record EspSa(int childSaId, int spi, SaDirection direction, EncryptionAlgorithm encryption,
                    IntegrityAlgorithm integrity, EspKeys keys, boolean extendedSequenceNumbers,
                    int replayWindowSize, UdpEncapsulation udpEncapsulation, EspLifetime lifetime,
                    long initialSequenceNumber) implements AutoCloseable {

    /** Default anti-replay window (RFC 4303 §3.4.3 asks for at least 32; 64 recommended; we default higher). */
    public static final int DEFAULT_REPLAY_WINDOW = 128;
    /** Largest anti-replay window an implementation must support. */
    public static final int MAX_REPLAY_WINDOW = 4096;

    /** Validates that algorithms, keys and sizes fit together. */
    public EspSa {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(integrity, "integrity");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(lifetime, "lifetime");
        if (Integer.compareUnsigned(spi, 256) < 0) {
            throw new IllegalArgumentException("SPI 0..255 is reserved (RFC 4303 §2.1): " + spi);
        }
        if (encryption.isAead() != (integrity == IntegrityAlgorithm.NONE)) {
            throw new IllegalArgumentException(encryption + " cannot be combined with " + integrity);
        }
        if (!keys.fit(encryption, integrity)) {
            throw new IllegalArgumentException("key lengths do not fit " + encryption + "/" + integrity + ": " + keys);
        }
        if (replayWindowSize < 0 || replayWindowSize > MAX_REPLAY_WINDOW) {
            throw new IllegalArgumentException("replay window must be 0.." + MAX_REPLAY_WINDOW + ": " + replayWindowSize);
        }
        if (initialSequenceNumber < 0
                || (!extendedSequenceNumbers && initialSequenceNumber > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("initial sequence number out of range: " + initialSequenceNumber);
        }
    }

    /** A new SA (sequence numbers from the start) with the default replay window and no lifetime limits. */
    public static EspSa of(int childSaId, int spi, SaDirection direction, EncryptionAlgorithm encryption,
                           IntegrityAlgorithm integrity, EspKeys keys, boolean esn, UdpEncapsulation udpEncapsulation) {
        return new EspSa(childSaId, spi, direction, encryption, integrity, keys, esn, DEFAULT_REPLAY_WINDOW,
                udpEncapsulation, EspLifetime.UNLIMITED, 0);
    }

    /** Bytes of ICV per packet, from the AEAD tag or the truncated HMAC. */
    public int icvLength() {
        return encryption.isAead() ? encryption.icvLength() : integrity.icvLength();
    }

    /** True when the ESP packets travel in UDP (RFC 3948). */
    public boolean udpEncapsulated() {
        return udpEncapsulation != null;
    }

    /** The same SA with another starting sequence number (for rebuilding a transform after a swap). */
    public EspSa withInitialSequenceNumber(long sequenceNumber) {
        return new EspSa(childSaId, spi, direction, encryption, integrity, keys, extendedSequenceNumbers,
                replayWindowSize, udpEncapsulation, lifetime, sequenceNumber);
    }

    /** Wipes the keys. */
    @Override
    public void close() {
        keys.close();
    }

    /** SPI in hex, algorithms and flags; never key bytes. */
    @Override
    public String toString() {
        return "EspSa[childSaId=" + childSaId + ", spi=0x" + String.format("%08x", spi) + ", " + direction
                + ", " + encryption + (integrity == IntegrityAlgorithm.NONE ? "" : "/" + integrity)
                + (extendedSequenceNumbers ? ", ESN" : "") + ", replayWindow=" + replayWindowSize
                + (udpEncapsulation == null ? "" : ", udp=" + udpEncapsulation.localPort() + "->" + udpEncapsulation.remotePort())
                + ", " + lifetime + ", keys=" + keys + "]";
    }
}
