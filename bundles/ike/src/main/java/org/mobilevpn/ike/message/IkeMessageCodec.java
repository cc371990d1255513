package org.mobilevpn.ike.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point from octets to {@link IkeMessage} and back (RFC 7296 §3, RFC 7383 §2.5).
 *
 * <p>Decoding is strict: the header length must equal the datagram, every payload length must fit,
 * SK/SKF must be last, unknown non-critical payloads are kept as {@link UnknownPayload}, unknown
 * critical ones raise {@link UnsupportedCriticalPayloadException}. For any input the decoder either
 * returns or throws an {@link IkeParseException}; nothing else.
 */
public final class IkeMessageCodec {
    private static final int GENERIC_HEADER = 4;

    private IkeMessageCodec() {
    }

    /** Reads just the header, checking version and length against the datagram. */
    public static IkeHeader decodeHeader(byte[] datagram) throws IkeParseException {
        if (datagram.length < IkeHeader.LENGTH) {
            throw new InvalidSyntaxException("datagram of " + datagram.length + " octets is shorter than an IKE header");
        }
        IkeHeader header = IkeHeader.decode(new OctetReader(datagram, 0, IkeHeader.LENGTH));
        if (header.majorVersion() != 2) {
            throw new InvalidMajorVersionException(header.majorVersion());
        }
        if (header.length() != datagram.length) {
            throw new InvalidSyntaxException("header length " + Integer.toUnsignedString(header.length())
                    + " differs from datagram length " + datagram.length);
        }
        return header;
    }

    /** Decodes a whole datagram. A protected message ends with its undecrypted SK or SKF payload. */
    public static IkeMessage decode(byte[] datagram) throws IkeParseException {
        IkeHeader header = decodeHeader(datagram);
        List<Payload> payloads = decodeChain(header.nextPayload(), datagram, IkeHeader.LENGTH,
                datagram.length - IkeHeader.LENGTH, true);
        return new IkeMessage(header, payloads);
    }

    /** Decodes the payload chain found inside a decrypted SK payload (SK/SKF are not allowed there). */
    public static List<Payload> decodePayloads(int firstType, byte[] data, int offset, int length)
            throws IkeParseException {
        return decodeChain(firstType, data, offset, length, false);
    }

    private static List<Payload> decodeChain(int firstType, byte[] data, int offset, int length, boolean outer)
            throws IkeParseException {
        OctetReader in = new OctetReader(data, offset, length);
        List<Payload> payloads = new ArrayList<>();
        int type = firstType;
        while (type != PayloadType.NONE) {
            int next = in.u8(PayloadType.name(type) + " generic header");
            boolean critical = (in.u8("generic header flags") & 0x80) != 0;
            int payloadLength = in.u16("generic header length");
            if (payloadLength < GENERIC_HEADER) {
                throw new InvalidSyntaxException(PayloadType.name(type) + " payload length " + payloadLength);
            }
            OctetReader body = in.slice(payloadLength - GENERIC_HEADER, PayloadType.name(type) + " payload");
            if (type == PayloadType.SK || type == PayloadType.SKF) {
                if (!outer) {
                    throw new InvalidSyntaxException(PayloadType.name(type) + " inside an encrypted payload");
                }
                if (in.hasRemaining()) {
                    throw new InvalidSyntaxException(PayloadType.name(type) + " is not the last payload");
                }
                payloads.add(type == PayloadType.SK ? new EncryptedPayload(next, body.rest())
                        : EncryptedFragmentPayload.decode(next, body));
                return payloads;
            }
            try {
                payloads.add(decodePayload(type, critical, body));
            } catch (IkeParseException e) {
                throw e.inPayload(type);
            }
            type = next;
        }
        if (in.hasRemaining()) {
            throw new InvalidSyntaxException(in.remaining() + " octets after the last payload");
        }
        return payloads;
    }

    private static Payload decodePayload(int type, boolean critical, OctetReader body) throws IkeParseException {
        switch (type) {
            case PayloadType.SA: return SaPayload.decode(body);
            case PayloadType.KE: return KePayload.decode(body);
            case PayloadType.IDI: return IdPayload.decode(true, body);
            case PayloadType.IDR: return IdPayload.decode(false, body);
            case PayloadType.CERT: return CertPayload.decode(body);
            case PayloadType.CERTREQ: return CertReqPayload.decode(body);
            case PayloadType.AUTH: return AuthPayload.decode(body);
            case PayloadType.NONCE: return NoncePayload.decode(body);
            case PayloadType.NOTIFY: return NotifyPayload.decode(body);
            case PayloadType.DELETE: return DeletePayload.decode(body);
            case PayloadType.VENDOR_ID: return VendorIdPayload.decode(body);
            case PayloadType.TSI: return TsPayload.decode(true, body);
            case PayloadType.TSR: return TsPayload.decode(false, body);
            case PayloadType.CP: return ConfigPayload.decode(body);
            case PayloadType.EAP: return EapPayload.decode(body);
            default:
                if (critical) {
                    throw new UnsupportedCriticalPayloadException(type);
                }
                return new UnknownPayload(type, false, body.rest());
        }
    }

    /** Encodes a message; header length and next-payload fields are computed. */
    public static byte[] encode(IkeHeader header, List<Payload> payloads) {
        OctetWriter out = new OctetWriter(512);
        header.encode(out, payloads.isEmpty() ? PayloadType.NONE : payloads.get(0).type(), 0);
        writeChain(out, payloads);
        out.patchU32(24, out.size());
        return out.toByteArray();
    }

    /** Encodes a payload chain without a header: the plaintext of an SK payload. */
    public static byte[] encodePayloads(List<Payload> payloads) {
        OctetWriter out = new OctetWriter(512);
        writeChain(out, payloads);
        return out.toByteArray();
    }

    /** Encodes one payload with its generic header, "next payload" as given. */
    public static byte[] encodePayload(Payload payload, int next) {
        OctetWriter out = new OctetWriter(64);
        writePayload(out, payload, next);
        return out.toByteArray();
    }

    private static void writeChain(OctetWriter out, List<Payload> payloads) {
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            if ((p instanceof EncryptedPayload || p instanceof EncryptedFragmentPayload) && i != payloads.size() - 1) {
                throw new IllegalArgumentException(PayloadType.name(p.type()) + " must be the last payload");
            }
            int next = i + 1 < payloads.size() ? payloads.get(i + 1).type() : PayloadType.NONE;
            writePayload(out, p, next);
        }
    }

    private static void writePayload(OctetWriter out, Payload p, int next) {
        if (p instanceof EncryptedPayload) {
            next = ((EncryptedPayload) p).firstInnerType();
        } else if (p instanceof EncryptedFragmentPayload) {
            next = ((EncryptedFragmentPayload) p).firstInnerType();
        }
        boolean critical = p instanceof UnknownPayload && ((UnknownPayload) p).critical();
        int start = out.size();
        out.u8(next).u8(critical ? 0x80 : 0).u16(0);
        p.encodeBody(out);
        int length = out.size() - start;
        if (length > 0xffff) {
            throw new IllegalArgumentException(PayloadType.name(p.type()) + " payload of " + length + " octets");
        }
        out.patchU16(start + 2, length);
    }
}
