package org.mobilevpn.ike.engine;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.mobilevpn.ike.crypto.IkeCipher;
import org.mobilevpn.ike.message.EncryptedFragmentPayload;
import org.mobilevpn.ike.message.EncryptedPayload;
import org.mobilevpn.ike.message.IkeHeader;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.IkeMessageCodec;
import org.mobilevpn.ike.message.IkeParseException;
import org.mobilevpn.ike.message.OctetWriter;
import org.mobilevpn.ike.message.Payload;
import org.mobilevpn.ike.message.PayloadType;

/**
 * Encrypts and authenticates messages into an SK payload (RFC 7296 §3.14; RFC 5282 §5 for AEAD, whose
 * AAD is everything before the IV), and single fragments into SKF payloads (RFC 7383 §2.5, whose AAD
 * also covers the fragment number and total). Decryption verifies the ICV before anything else.
 */
final class MessageProtector {
    private final IkeSa sa;
    private final SecureRandom random;

    MessageProtector(IkeSa sa, SecureRandom random) {
        this.sa = sa;
        this.random = random;
    }

    /** The whole message in one SK payload. */
    byte[] protect(IkeHeader header, List<Payload> payloads) {
        byte[] inner = IkeMessageCodec.encodePayloads(payloads);
        int firstType = payloads.isEmpty() ? PayloadType.NONE : payloads.get(0).type();
        return seal(header, PayloadType.SK, firstType, null, inner);
    }

    /** One SK message around already encoded inner payload octets (their first type given). */
    byte[] protectInner(IkeHeader header, int firstType, byte[] inner) {
        return seal(header, PayloadType.SK, firstType, null, inner);
    }

    /**
     * Splits the payloads' octets into SKF fragments each fitting {@code maxMessageLength} (RFC 7383 §2.5),
     * or returns one SK message if it fits anyway.
     */
    List<byte[]> protectFragmented(IkeHeader header, List<Payload> payloads, int maxMessageLength) {
        byte[] whole = protect(header, payloads);
        if (whole.length <= maxMessageLength) {
            return List.of(whole);
        }
        byte[] inner = IkeMessageCodec.encodePayloads(payloads);
        int firstType = payloads.isEmpty() ? PayloadType.NONE : payloads.get(0).type();
        IkeCipher cipher = sa.crypto().cipher;
        int icv = cipher.isAead() ? cipher.icvLength() : sa.crypto().integrity.icvLength();
        int overhead = IkeHeader.LENGTH + 8 + cipher.ivLength() + icv + cipher.blockSize();
        int room = maxMessageLength - overhead;
        if (cipher.blockSize() > 1) {
            room -= room % cipher.blockSize();
        }
        if (room < 16) {
            throw new IllegalArgumentException("fragment size " + maxMessageLength + " leaves no room for content");
        }
        int total = (inner.length + room - 1) / room;
        byte[][] out = new byte[total][];
        for (int i = 0; i < total; i++) {
            byte[] chunk = Arrays.copyOfRange(inner, i * room, Math.min(inner.length, (i + 1) * room));
            out[i] = seal(header, PayloadType.SKF, i == 0 ? firstType : PayloadType.NONE, new int[] {i + 1, total}, chunk);
        }
        return List.of(out);
    }

    private byte[] seal(IkeHeader header, int payloadType, int next, int[] fragment, byte[] inner) {
        IkeCipher cipher = sa.crypto().cipher;
        int block = cipher.blockSize();
        int padLength = (block - (inner.length + 1) % block) % block;
        byte[] plaintext = Arrays.copyOf(inner, inner.length + padLength + 1);
        plaintext[plaintext.length - 1] = (byte) padLength;
        byte[] iv = new byte[cipher.ivLength()];
        if (cipher.isAead()) {
            long counter = ++sa.ivCounter;
            for (int i = 0; i < 8; i++) {
                iv[i] = (byte) (counter >>> (56 - 8 * i));
            }
        } else {
            random.nextBytes(iv);
        }
        int icvLength = cipher.isAead() ? cipher.icvLength() : sa.crypto().integrity.icvLength();
        int fragmentFields = fragment == null ? 0 : 4;
        int payloadLength = 4 + fragmentFields + iv.length + plaintext.length + icvLength;
        OctetWriter out = new OctetWriter(IkeHeader.LENGTH + payloadLength);
        // Header and payload header as they will be sent; these octets are the AEAD associated data.
        out.u64(header.initiatorSpi()).u64(header.responderSpi()).u8(payloadType)
                .u8(header.majorVersion() << 4 | header.minorVersion()).u8(header.exchangeType()).u8(header.flags())
                .u32(header.messageId()).u32(IkeHeader.LENGTH + payloadLength);
        out.u8(next).u8(0).u16(payloadLength);
        if (fragment != null) {
            out.u16(fragment[0]).u16(fragment[1]);
        }
        byte[] aad = out.toByteArray();
        try {
            if (cipher.isAead()) {
                out.bytes(iv).bytes(cipher.encrypt(sa.outboundEncryptionKey(), iv, plaintext, aad));
            } else {
                out.bytes(iv).bytes(cipher.encrypt(sa.outboundEncryptionKey(), iv, plaintext, null));
                byte[] sofar = out.toByteArray();
                out.bytes(sa.crypto().integrity.compute(sa.outboundIntegrityKey(), sofar, 0, sofar.length));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed with valid keys", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        return out.toByteArray();
    }

    /** Decrypts the SK payload of a received message into a message with the inner payloads. */
    IkeMessage unprotect(byte[] datagram, IkeMessage decoded) throws IntegrityCheckFailedException, IkeParseException {
        Payload last = decoded.payloads().isEmpty() ? null : decoded.payloads().get(decoded.payloads().size() - 1);
        if (!(last instanceof EncryptedPayload)) {
            throw new IntegrityCheckFailedException("message has no SK payload");
        }
        EncryptedPayload sk = (EncryptedPayload) last;
        byte[] inner = open(datagram, sk.body().length, 0);
        return new IkeMessage(decoded.header(), IkeMessageCodec.decodePayloads(sk.firstInnerType(), inner, 0, inner.length));
    }

    /** Decrypts one SKF fragment's content (RFC 7383 §2.5). */
    byte[] unprotectFragment(byte[] datagram, EncryptedFragmentPayload skf) throws IntegrityCheckFailedException {
        return open(datagram, skf.encrypted().length, 4);
    }

    /**
     * @param bodyLength octets after the payload header and fragment fields (IV, ciphertext, ICV)
     * @param fragmentFields 4 for SKF, 0 for SK
     */
    private byte[] open(byte[] datagram, int bodyLength, int fragmentFields) throws IntegrityCheckFailedException {
        IkeCipher cipher = sa.crypto().cipher;
        int bodyStart = datagram.length - bodyLength;
        int ivLength = cipher.ivLength();
        int icvLength = cipher.isAead() ? cipher.icvLength() : sa.crypto().integrity.icvLength();
        if (bodyLength < ivLength + icvLength + 1 || bodyStart < IkeHeader.LENGTH + 4 + fragmentFields) {
            throw new IntegrityCheckFailedException("encrypted payload too short");
        }
        byte[] iv = Arrays.copyOfRange(datagram, bodyStart, bodyStart + ivLength);
        byte[] plaintext;
        try {
            if (cipher.isAead()) {
                byte[] aad = Arrays.copyOf(datagram, bodyStart);
                plaintext = cipher.decrypt(sa.inboundEncryptionKey(), iv, datagram, bodyStart + ivLength,
                        bodyLength - ivLength, aad);
            } else {
                int icvStart = datagram.length - icvLength;
                byte[] expected = sa.crypto().integrity.compute(sa.inboundIntegrityKey(), datagram, 0, icvStart);
                if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(datagram, icvStart, datagram.length))) {
                    throw new IntegrityCheckFailedException("integrity check failed");
                }
                plaintext = cipher.decrypt(sa.inboundEncryptionKey(), iv, datagram, bodyStart + ivLength,
                        bodyLength - ivLength - icvLength, null);
            }
        } catch (GeneralSecurityException e) {
            throw new IntegrityCheckFailedException("decryption failed: " + e.getMessage());
        }
        int padLength = plaintext[plaintext.length - 1] & 0xff;
        if (padLength + 1 > plaintext.length) {
            throw new IntegrityCheckFailedException("pad length exceeds the plaintext");
        }
        byte[] inner = Arrays.copyOf(plaintext, plaintext.length - 1 - padLength);
        Arrays.fill(plaintext, (byte) 0);
        return inner;
    }
}
